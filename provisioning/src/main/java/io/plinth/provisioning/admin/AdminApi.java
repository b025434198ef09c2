package io.plinth.provisioning.admin;

import io.plinth.platform.health.ReadinessCheck;
import io.plinth.platform.server.PlinthService;
import io.plinth.provisioning.audit.AuditLog;
import io.vertx.ext.web.Router;
import java.util.List;

/**
 * The admin API, {@code /admin/v1}: the audit recorder in front of every route, then each
 * resource's routes (tenants, keys, audit, migrations). Each route is a chain of small handlers:
 * its start ({@link AdminHandlers}), a {@link RequestParser} that checks the request, and the
 * action, which makes one service call and writes its result or fails the context with its failure.
 * Failures become problems in the node's one failure handler.
 */
public final class AdminApi implements PlinthService.Routes {

  public static final String BASE = "/admin/v1";

  /** One resource's routes, under {@link #BASE}. */
  @FunctionalInterface
  public interface Resource {
    void addTo(Router router);
  }

  private final AuditLog audit;
  private final List<Resource> resources;
  private final List<ReadinessCheck> readinessChecks;

  public AdminApi(AuditLog audit, List<Resource> resources, List<ReadinessCheck> readinessChecks) {
    this.audit = audit;
    this.resources = List.copyOf(resources);
    this.readinessChecks = List.copyOf(readinessChecks);
  }

  @Override
  public List<ReadinessCheck> readinessChecks() {
    return readinessChecks;
  }

  @Override
  public void addTo(Router router) {
    router.route(BASE + "/*").handler(audit.recorder());
    resources.forEach(resource -> resource.addTo(router));
  }
}
