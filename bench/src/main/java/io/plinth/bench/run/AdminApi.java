package io.plinth.bench.run;

import io.plinth.bench.run.PlatformHttp.Response;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;

/** The control plane's admin API ({@code /admin/v1}) as the platform's operator. */
public final class AdminApi {

  public static final String TENANTS = "/admin/v1/tenants";

  private final PlatformHttp http;
  private final BenchPlatform platform;

  public AdminApi(PlatformHttp http, BenchPlatform platform) {
    this.http = http;
    this.platform = platform;
  }

  public PlatformHttp http() {
    return http;
  }

  /** A request to {@code path} of the running control plane, with the operator key. */
  public HttpRequest.Builder request(String path) {
    return request(URI.create(platform.controlPlaneUrl() + path));
  }

  /** A request to {@code uri}, with the operator key. */
  public HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri)
        .timeout(PlatformHttp.TIMEOUT)
        .header("Authorization", "Bearer " + platform.operatorKey());
  }

  /** {@code location} (a path, or a URL) against the control plane's URL. */
  public URI resolve(String location) {
    return URI.create(platform.controlPlaneUrl()).resolve(location);
  }

  /** POST /admin/v1/tenants, timed; the answer whatever it is. */
  public Response createTenant(String slug, String name, String plan) {
    JsonObject body = new JsonObject().put("slug", slug).put("name", name).put("plan", plan);
    return http.send(
        request(TENANTS)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
            .build());
  }

  /** POST /admin/v1/tenants, which must answer 201: the tenant made, with its keys. */
  public JsonObject createdTenant(String slug, String name, String plan) {
    Response created = createTenant(slug, name, plan);
    if (created.status() != 201) {
      throw new IllegalStateException(
          TENANTS + " answered " + created.status() + ": " + created.body());
    }
    return new JsonObject(created.body());
  }

  /** PATCH /admin/v1/tenants/{slug}, which must answer 200. */
  public void patchTenant(String slug, JsonObject patch) {
    http.expect(
        200,
        request(TENANTS + "/" + slug)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(patch.encode())));
  }

  /** The key of this kind ({@code secret}, {@code publishable}) of a tenant just made. */
  public static String key(JsonObject created, String kind) {
    String key = null;
    for (Object k : created.getJsonArray("keys")) {
      JsonObject candidate = (JsonObject) k;
      if (kind.equals(candidate.getString("kind"))) {
        key = candidate.getString("key");
      }
    }
    if (key == null) {
      throw new IllegalStateException("no " + kind + " key in " + created.encode());
    }
    return key;
  }
}
