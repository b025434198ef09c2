package io.plinth.tenantapi.collections;

import io.vertx.core.Future;
import java.util.UUID;

/**
 * Drops what a cache holds of a collection once it changed shape or was dropped, before the client
 * hears of it (the record cache's entries, say). A cache-invalidation hook, not the change stream:
 * record changes reach clients through {@code changes/}.
 */
@FunctionalInterface
public interface CollectionInvalidations {

  Future<Void> collectionChanged(UUID tenantId, String collection);
}
