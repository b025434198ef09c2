package io.plinth.provisioning.data;

import io.plinth.platform.registry.Tenant;
import io.plinth.provisioning.tenants.TenantLifecycle;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * An operator's access to a tenant's data: the request goes to the data plane with the tenant's
 * operator-access key. A key the data plane refuses (revoked by an operator, or issued before a
 * restore of the registry) is dropped and the request sent once more with a new one.
 */
public final class DataAccess {

  /** One request to forward. */
  public record Request(
      String slug,
      HttpMethod method,
      DataPath path,
      String query,
      MultiMap headers,
      String requestId,
      Buffer body) {}

  private final TenantLifecycle lifecycle;
  private final OperatorAccessKeys keys;
  private final DataForwarder forwarder;

  public DataAccess(TenantLifecycle lifecycle, OperatorAccessKeys keys, DataForwarder forwarder) {
    this.lifecycle = lifecycle;
    this.keys = keys;
    this.forwarder = forwarder;
  }

  /** The data plane's answer; 404 {@code tenant_not_found} for a slug that names no tenant. */
  public Future<DataForwarder.Answer> forward(Request request) {
    return lifecycle.get(request.slug()).compose(tenant -> send(tenant, request, true));
  }

  private Future<DataForwarder.Answer> send(Tenant tenant, Request request, boolean mayRetry) {
    return keys.keyFor(tenant)
        .compose(
            lease ->
                forwarder
                    .forward(
                        request.method(),
                        request.path().target(request.query()),
                        request.headers(),
                        request.requestId(),
                        lease.key(),
                        request.body())
                    .onComplete(ignored -> lease.release())
                    .compose(
                        answer -> {
                          if (answer.status() != 401 || !mayRetry) {
                            return Future.succeededFuture(answer);
                          }
                          keys.forget(tenant, lease.key());
                          return send(tenant, request, false);
                        }));
  }
}
