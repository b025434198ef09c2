package io.plinth.platform.health;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** One dependency the node needs to serve requests. Must not block the event loop. */
public interface ReadinessCheck {

  /** Short name shown in the readiness report, e.g. {@code postgresql}. */
  String name();

  /** Succeeds, with optional details, when the dependency answers; fails with the reason. */
  Future<JsonObject> check();
}
