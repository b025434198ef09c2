package io.plinth.provisioning;

import io.plinth.provisioning.workflow.Step;
import io.plinth.provisioning.workflow.StepObserver;
import io.vertx.core.Future;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/** Fails once at one point of one step ("injected"); later tenants (and retries) pass. */
final class FailOnce implements StepObserver {
  private final Step step;
  private final Point point;
  final AtomicBoolean failed = new AtomicBoolean();

  FailOnce(Step step, Point point) {
    this.step = step;
    this.point = point;
  }

  @Override
  public Future<Void> at(UUID tenant, Step atStep, Point atPoint) {
    if (atStep == step && atPoint == point && failed.compareAndSet(false, true)) {
      return Future.failedFuture(new IllegalStateException("injected"));
    }
    return Future.succeededFuture();
  }
}
