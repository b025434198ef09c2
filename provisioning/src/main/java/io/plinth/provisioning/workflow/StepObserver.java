package io.plinth.provisioning.workflow;

import io.vertx.core.Future;
import java.util.UUID;

/**
 * Called around every step. Production uses {@link #NONE}; failure-injection tests return a future
 * that never completes (the process "dies" there) or a failed one (the step fails).
 */
public interface StepObserver {

  /** Where in a step the workflow is. */
  enum Point {
    BEFORE,
    AFTER
  }

  StepObserver NONE = (tenant, step, point) -> Future.succeededFuture();

  Future<Void> at(UUID tenant, Step step, Point point);
}
