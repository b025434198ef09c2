package io.plinth.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class DependencyFailuresTest {

  @Test
  void anUnreachableOrOverloadedDependencyIsRecognisedAlsoWhenWrapped() {
    assertThat(DependencyFailures.isDependencyDown(new ConnectException("Connection refused")))
        .isTrue();
    assertThat(
            DependencyFailures.isDependencyDown(
                new VertxException(new ConnectException("Connection refused"))))
        .isTrue();
    assertThat(DependencyFailures.isDependencyDown(ClosedConnectionException.INSTANCE)).isTrue();
    assertThat(DependencyFailures.isDependencyDown(new SocketException("Connection reset")))
        .as("a statement in flight when PostgreSQL was killed")
        .isTrue();
    assertThat(DependencyFailures.isDependencyDown(new ConnectionPoolTooBusyException("busy")))
        .isTrue();
    assertThat(
            DependencyFailures.isDependencyDown(
                new TimeoutException("Timeout waiting for connection")))
        .isTrue();
    assertThat(DependencyFailures.isDependencyDown(new HazelcastInstanceNotActiveException()))
        .isTrue();
  }

  @Test
  void postgresqlStoppingRestartingOrOutOfConnectionsIsRecognised() {
    for (String state : List.of("57P01", "57P02", "57P03", "53300", "08006", "08001")) {
      assertThat(
              DependencyFailures.isDependencyDown(
                  new VertxException(new PgException("away", "FATAL", state, null))))
          .as(state)
          .isTrue();
    }
  }

  @Test
  void aFaultOfTheRequestOrTheCodeIsNot() {
    assertThat(DependencyFailures.isDependencyDown(new IllegalStateException("bug"))).isFalse();
    assertThat(
            DependencyFailures.isDependencyDown(
                new PgException("syntax error", "ERROR", "42601", "detail")))
        .isFalse();
    assertThat(
            DependencyFailures.isDependencyDown(
                new PgException("duplicate key", "ERROR", "23505", "detail")))
        .isFalse();
    assertThat(DependencyFailures.isDependencyDown(new NullPointerException())).isFalse();
  }
}
