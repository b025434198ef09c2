package io.plinth.client.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.plinth.client.RetryPolicy;
import io.plinth.client.internal.HttpTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A client of the control plane's admin API ({@code /admin/v1}) for operators' automation: tenants,
 * their keys, the audit trail and fleet migrations. It authenticates with an operator key or an
 * operator's access token (both in {@code Authorization: Bearer}); every call has a timeout, and
 * 429 and 503 answers to requests safe to repeat are retried per {@link RetryPolicy} (tenant
 * creation always carries an {@code Idempotency-Key}, so it is one of them).
 *
 * <pre>{@code
 * PlinthAdmin admin = PlinthAdmin.builder(URI.create("https://control.example.com"))
 *     .operatorKey(System.getenv("PLINTH_OPERATOR_KEY")).build();
 * CreatedTenant acme = admin.tenants().create(NewTenant.of("acme", "Acme", "pro"));
 * admin.tenants().waitUntilActive("acme", Duration.ofMinutes(1));
 * }</pre>
 */
public final class PlinthAdmin {

  static final String BASE = "/admin/v1";

  private final HttpTransport transport;
  private final String credential;
  private final Tenants tenants = new Tenants(this);
  private final Keys keys = new Keys(this);
  private final Audit audit = new Audit(this);
  private final Migrations migrations = new Migrations(this);

  private PlinthAdmin(Builder builder) {
    if (builder.credential == null) {
      throw new IllegalStateException("an operator key or a bearer token is needed");
    }
    this.credential = builder.credential;
    this.transport =
        new HttpTransport(
            builder.controlPlaneUrl,
            builder.timeout,
            builder.retryPolicy,
            builder.httpClient,
            new ObjectMapper());
  }

  public static Builder builder(URI controlPlaneUrl) {
    return new Builder(controlPlaneUrl);
  }

  /** Tenants: create, read, list, suspend, resume, change limits, delete. */
  public Tenants tenants() {
    return tenants;
  }

  /** Tenants' API keys: issue, list, revoke. */
  public Keys keys() {
    return keys;
  }

  /** The audit trail of the admin API. */
  public Audit audit() {
    return audit;
  }

  /** Fleet migrations of the tenants' schemas. */
  public Migrations migrations() {
    return migrations;
  }

  ObjectMapper json() {
    return transport.json();
  }

  HttpTransport.Response send(String method, String path, JsonNode body) {
    return send(method, path, body, Map.of());
  }

  HttpTransport.Response send(
      String method, String path, JsonNode body, Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("Authorization", "Bearer " + credential);
    return transport.send(method, BASE + path, body, all);
  }

  static String segment(String value) {
    return HttpTransport.percentEncode(Objects.requireNonNull(value));
  }

  public static final class Builder {
    private final URI controlPlaneUrl;
    private String credential;
    private Duration timeout = Duration.ofSeconds(30);
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private HttpClient httpClient;

    private Builder(URI controlPlaneUrl) {
      this.controlPlaneUrl = Objects.requireNonNull(controlPlaneUrl, "controlPlaneUrl");
    }

    /** An operator key ({@code plinth_op_...}). */
    public Builder operatorKey(String key) {
      this.credential = Objects.requireNonNull(key, "key");
      return this;
    }

    /** An operator's access token from the platform realm, instead of an operator key. */
    public Builder bearerToken(String token) {
      this.credential = Objects.requireNonNull(token, "token");
      return this;
    }

    /** How long one attempt of a call may take, connecting included. */
    public Builder timeout(Duration callTimeout) {
      this.timeout = Objects.requireNonNull(callTimeout);
      return this;
    }

    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy);
      return this;
    }

    /** An HTTP client of the application's own (proxy, executor, TLS settings). */
    public Builder httpClient(HttpClient client) {
      this.httpClient = client;
      return this;
    }

    public PlinthAdmin build() {
      return new PlinthAdmin(this);
    }
  }
}
