package io.plinth.platform.http;

import io.plinth.platform.db.SqlStates;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;
import java.util.concurrent.TimeoutException;

/**
 * Recognises failures that mean a dependency (PostgreSQL, the Hazelcast cluster) is away or
 * overloaded rather than that the request or the code is wrong, so the client gets 503 with {@code
 * Retry-After} (DESIGN: "503 when a dependency is down") instead of a 500.
 */
final class DependencyFailures {

  private DependencyFailures() {}

  static boolean isDependencyDown(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      // Refused or unreachable (ConnectException, Netty's subclass too), or reset under a
      // statement in flight: the server died (kill -9) before the client saw the socket close.
      if (t instanceof SocketException
          || t.getClass().getName().startsWith("io.netty.channel.unix.Errors$NativeIoException")
          || t instanceof ClosedConnectionException // the server went away mid-request
          || t instanceof ConnectionPoolTooBusyException // the pool's wait queue is full
          || t instanceof TimeoutException // e.g. no pooled connection in time
          || SqlStates.isServerAway(t) // stopping, restarting, in crash recovery
          || t.getClass().getName().startsWith("io.netty.channel.ConnectTimeoutException")
          || t.getClass().getName().startsWith("com.hazelcast.core.HazelcastInstanceNotActive")
          || t.getClass().getName().startsWith("com.hazelcast.spi.exception.TargetDisconnected")
          || t.getClass().getName().startsWith("com.hazelcast.core.OperationTimeoutException")) {
        return true;
      }
    }
    return false;
  }
}
