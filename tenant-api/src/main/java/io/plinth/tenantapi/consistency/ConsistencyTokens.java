package io.plinth.tenantapi.consistency;

import io.plinth.platform.db.WalPosition;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-your-writes across replicas: every write's answer carries {@code Plinth-Consistency-Token},
 * the writer's WAL position after the write committed, and a read that sends it back is served by a
 * replica that has replayed past it, or by the writer (docs/tenant-api.md#consistency). The SDKs
 * send back the latest token they were given without the app doing anything.
 */
public final class ConsistencyTokens {

  public static final String HEADER = "Plinth-Consistency-Token";

  private static final Logger LOG = LoggerFactory.getLogger(ConsistencyTokens.class);

  private final Supplier<Future<Optional<WalPosition>>> writePosition;

  /** {@code writePosition}: the writer's position now, empty when there are no replicas. */
  public ConsistencyTokens(Supplier<Future<Optional<WalPosition>>> writePosition) {
    this.writePosition = writePosition;
  }

  /**
   * After a write committed, before it is answered: puts the token on the answer and passes {@code
   * result} on. Never fails: the write stands, and an answer without a token only lets the client's
   * next read be stale.
   */
  public <T> Future<T> stamp(RoutingContext ctx, T result) {
    return writePosition
        .get()
        .map(
            position -> {
              position.ifPresent(p -> ctx.response().putHeader(HEADER, p.toString()));
              return result;
            })
        .recover(
            failure -> {
              LOG.warn("a write's consistency token could not be read: {}", failure.getMessage());
              return Future.succeededFuture(result);
            });
  }

  /**
   * What a read must see: nothing when the request has no token, the token's position, or, for a
   * token that cannot be read, {@link WalPosition#LATEST} (the writer) rather than a stale answer.
   */
  public static Optional<WalPosition> of(RoutingContext ctx) {
    String token = ctx.request().getHeader(HEADER);
    if (token == null || token.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(WalPosition.parse(token.trim()).orElse(WalPosition.LATEST));
  }
}
