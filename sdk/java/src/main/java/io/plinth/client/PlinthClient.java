package io.plinth.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.plinth.client.internal.HttpTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A client of a tenant's data plane ({@code /v1}). It sends the key in {@code apikey} and an end
 * user's token, when set, in {@code Authorization: Bearer}; every call has a timeout, and 429 and
 * 503 answers to requests safe to repeat are retried per {@link RetryPolicy}.
 */
public final class PlinthClient {

  private final URI baseUrl;
  private final String apiKey;
  private final String userToken;
  private final Duration timeout;
  private final RetryPolicy retryPolicy;
  private final HttpClient http;
  private final ConsistencyToken consistency;
  private final Auth auth;
  final ObjectMapper json = new ObjectMapper();
  private final HttpTransport transport;

  private PlinthClient(Builder builder) {
    String url = builder.dataPlaneUrl.toString();
    this.baseUrl = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    this.apiKey = Objects.requireNonNull(builder.apiKey, "apiKey");
    this.userToken = builder.userToken;
    this.timeout = builder.timeout;
    this.retryPolicy = builder.retryPolicy;
    this.transport = new HttpTransport(baseUrl, timeout, retryPolicy, builder.httpClient, json);
    this.http = transport.httpClient();
    this.consistency = builder.consistency != null ? builder.consistency : new ConsistencyToken();
    this.auth = new Auth(this);
  }

  public static Builder builder(URI dataPlaneUrl) {
    return new Builder(dataPlaneUrl);
  }

  /**
   * The same client acting for an end user (or for none, with null), instead of whoever signed in
   * with {@link #auth()}.
   */
  public PlinthClient withUserToken(String token) {
    return new Builder(this).userToken(token).build();
  }

  /**
   * End-user sign-in at the tenant's identity: once signed in, every call of this client sends the
   * user's access token (refreshed shortly before it expires), unless built with a user token.
   */
  public Auth auth() {
    return auth;
  }

  /** The tenant's collections. */
  public JsonNode listCollections() {
    return send(Call.of("GET", "/v1/collections")).body();
  }

  /** A collection's definition. */
  public JsonNode getCollection(String name) {
    return send(Call.of("GET", collectionPath(name))).body();
  }

  /** Creates a collection (secret key). */
  public JsonNode createCollection(CollectionDefinition definition) {
    return send(Call.of("POST", "/v1/collections").withBody(definition.toJson(json))).body();
  }

  /**
   * Adds fields or indexes, or changes rules (secret key): {@code change} is the PATCH body, e.g.
   * {@code {"fields":[...]}} or {@code {"rules":{"read":"public"}}}.
   */
  public JsonNode patchCollection(String name, Map<String, ?> change) {
    return send(Call.of("PATCH", collectionPath(name)).withBody(json.valueToTree(change))).body();
  }

  /** Drops a collection and its records (secret key). */
  public void dropCollection(String name) {
    send(Call.of("DELETE", collectionPath(name)));
  }

  /** The records of a collection. */
  public Records records(String collection) {
    return new Records(this, collectionPath(collection));
  }

  static String collectionPath(String name) {
    return "/v1/collections/" + encodePathSegment(name);
  }

  static String encodePathSegment(String segment) {
    return HttpTransport.percentEncode(segment);
  }

  /** Sends a call, retrying per the policy; an error status becomes a {@link PlinthException}. */
  Reply send(Call call) {
    return send(call, true);
  }

  /** As {@link #send(Call)}; {@code asUser} false sends the key alone, without a user's token. */
  Reply send(Call call, boolean asUser) {
    HttpTransport.Response response =
        transport.send(call.method(), call.pathAndQuery(), call.body(), headers(call, asUser));
    consistency.remember(response.headers());
    return new Reply(response.status(), response.body(), response.headers());
  }

  /** A request of {@code call} without its body or method, with its {@link #headers}. */
  HttpRequest.Builder request(Call call, boolean asUser) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(transport.baseUrl() + call.pathAndQuery()))
            .timeout(timeout)
            .header("Accept", "application/json");
    headers(call, asUser).forEach(request::header);
    return request;
  }

  /**
   * What a request of {@code call} carries: the key, the user's token (when {@code asUser} and
   * there is one: the explicit one, else the signed-in session's), the consistency token, and the
   * call's own headers.
   */
  Map<String, String> headers(Call call, boolean asUser) {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("apikey", apiKey);
    String token = !asUser ? null : userToken != null ? userToken : auth.accessTokenForCall();
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
    consistency.addTo(headers);
    headers.putAll(call.headers());
    return headers;
  }

  /** Notes what every answer tells the client ({@code Plinth-Consistency-Token}). */
  <T> HttpResponse<T> received(HttpResponse<T> response) {
    consistency.remember(response.headers());
    return response;
  }

  HttpClient http() {
    return http;
  }

  Duration timeout() {
    return timeout;
  }

  /** An answer that is not an error: its status, its JSON (missing when empty) and headers. */
  record Reply(int status, JsonNode body, java.net.http.HttpHeaders headers) {}

  /** One request, as {@link #send} repeats it. */
  record Call(String method, String pathAndQuery, JsonNode body, Map<String, String> headers) {
    static Call of(String method, String pathAndQuery) {
      return new Call(method, pathAndQuery, null, Map.of());
    }

    Call withBody(JsonNode newBody) {
      return new Call(method, pathAndQuery, newBody, headers);
    }

    Call withHeader(String name, String value) {
      Map<String, String> more = new java.util.LinkedHashMap<>(headers);
      more.put(name, value);
      return new Call(method, pathAndQuery, body, Map.copyOf(more));
    }

    boolean hasIdempotencyKey() {
      return headers.containsKey("Idempotency-Key");
    }
  }

  public static final class Builder {
    private final URI dataPlaneUrl;
    private String apiKey;
    private String userToken;
    private Duration timeout = Duration.ofSeconds(30);
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private HttpClient httpClient;
    private ConsistencyToken consistency;

    private Builder(URI dataPlaneUrl) {
      this.dataPlaneUrl = Objects.requireNonNull(dataPlaneUrl, "dataPlaneUrl");
    }

    private Builder(PlinthClient from) {
      this(from.baseUrl);
      apiKey = from.apiKey;
      userToken = from.userToken;
      timeout = from.timeout;
      retryPolicy = from.retryPolicy;
      httpClient = from.http;
      consistency = from.consistency; // the same application: it reads its own writes
    }

    /** The tenant's publishable or secret key. */
    public Builder apiKey(String key) {
      this.apiKey = key;
      return this;
    }

    /** An end user's access token, sent with every call. */
    public Builder userToken(String token) {
      this.userToken = token;
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

    public PlinthClient build() {
      return new PlinthClient(this);
    }
  }
}
