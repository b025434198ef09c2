package io.plinth.tenantapi.collections;

import io.vertx.core.Future;
import java.util.UUID;

/** Told when a tenant's collection changed shape or was dropped, before the client hears of it. */
@FunctionalInterface
public interface CollectionChanges {

  Future<Void> changed(UUID tenantId, String collection);

  CollectionChanges NONE = (tenantId, collection) -> Future.succeededFuture();
}
