package io.plinth.testing;

import io.plinth.testing.PlinthClient.Response;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.openapi.contract.OpenAPIVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The OpenAPI document as a contract that real responses are checked against: the status must be
 * documented for the operation, the content type too, the body must be valid against its schema,
 * and the documented headers must be there and valid.
 *
 * <p>Built from vertx-openapi's own parts (the OpenAPI 3.1 meta-schema, its {@code $ref} resolution
 * and its JSON Schema repository) rather than its {@code ResponseValidator}: vertx-openapi 5.0
 * refuses every media type but JSON, multipart, octet-stream and text/plain, and the API answers
 * errors as {@code application/problem+json}.
 */
public final class OpenApiContract {

  /** One documented operation, e.g. {@code GET /v1/collections/{collection}}. */
  public record Operation(String method, String path, JsonObject model) {
    public String key() {
      return method + " " + path;
    }
  }

  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  private final SchemaRepository schemas;
  private final JsonObject componentSchemas;
  private final List<Operation> operations = new ArrayList<>();
  private final List<Pattern> patterns = new ArrayList<>();

  private OpenApiContract(SchemaRepository schemas, JsonObject resolved) {
    this.schemas = schemas;
    this.componentSchemas =
        resolved.getJsonObject("components", new JsonObject()).getJsonObject("schemas");
    JsonObject paths = resolved.getJsonObject("paths");
    // Fewer parameters first, so a literal segment wins over a template that also matches.
    List<String> names =
        paths.fieldNames().stream()
            .filter(JsonSchema.EXCLUDE_ANNOTATIONS)
            .sorted(Comparator.comparingLong((String p) -> p.chars().filter(c -> c == '{').count()))
            .toList();
    for (String path : names) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (METHODS.contains(method)) { // not parameters, summary, resolver annotations
          operations.add(
              new Operation(method.toUpperCase(Locale.ROOT), path, item.getJsonObject(method)));
          patterns.add(Pattern.compile(path.replaceAll("\\{[^/}]+}", "[^/]+")));
        }
      }
    }
  }

  /**
   * Checks the document against the OpenAPI 3.1 schema (as {@code OpenAPIContract.from} does) and
   * resolves its references. Blocks: for test threads only.
   *
   * @throws AssertionError listing what is wrong when the document is not valid OpenAPI 3.1
   */
  public static OpenApiContract load(Vertx vertx, JsonObject document) {
    OpenAPIVersion version = OpenAPIVersion.fromContract(document);
    if (version != OpenAPIVersion.V3_1) {
      throw new AssertionError("not OpenAPI 3.1: " + document.getString("openapi"));
    }
    SchemaRepository repository = version.getRepository(vertx, "app://").await();
    OutputUnit result = version.validateContract(vertx, repository, document).await();
    if (!Boolean.TRUE.equals(result.getValid())) {
      throw new AssertionError("not a valid OpenAPI 3.1 document:\n" + describe(result));
    }
    // Resolving annotates the object it is given: leave the caller's document as it was.
    JsonObject resolved = version.resolve(vertx, repository, document.copy()).await();
    return new OpenApiContract(repository, resolved);
  }

  /** Every documented operation as {@code METHOD /path/{param}}. */
  public Set<String> operations() {
    return operations.stream().map(Operation::key).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Every documented operation with its (resolved) model. */
  public List<Operation> documented() {
    return List.copyOf(operations);
  }

  /** The documented operation a request goes to, if any. */
  public Optional<Operation> operation(String method, String requestPath) {
    String path = requestPath.split("\\?", 2)[0];
    for (int i = 0; i < operations.size(); i++) {
      Operation op = operations.get(i);
      if (op.method().equals(method) && patterns.get(i).matcher(path).matches()) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }

  /**
   * Checks a real response against the document.
   *
   * @return the operation the request went to
   * @throws AssertionError saying every way in which the response is not what is documented
   */
  public Operation check(String method, String requestPath, Response response) {
    Operation op =
        operation(method, requestPath)
            .orElseThrow(() -> new AssertionError("undocumented: " + method + " " + requestPath));
    String what = op.key() + " answered " + response.status() + " " + response.body();
    JsonObject documented =
        op.model().getJsonObject("responses").getJsonObject(String.valueOf(response.status()));
    if (documented == null) {
      throw new AssertionError("status not documented: " + what);
    }
    List<String> problems = new ArrayList<>();
    checkHeaders(documented.getJsonObject("headers", new JsonObject()), response, problems);
    checkContent(documented.getJsonObject("content", new JsonObject()), response, problems);
    if (!problems.isEmpty()) {
      throw new AssertionError(what + "\n  " + String.join("\n  ", problems));
    }
    return op;
  }

  /**
   * Checks a real response against the operation {@code key} ({@code METHOD /path/{param}}), for a
   * request the path templates cannot find: one whose last parameter holds slashes.
   *
   * @throws AssertionError as {@link #check} does, or when no such operation is documented
   */
  public Operation checkOperation(String key, Response response) {
    Operation op =
        operations.stream()
            .filter(o -> o.key().equals(key))
            .findFirst()
            .orElseThrow(() -> new AssertionError("undocumented: " + key));
    return check(op.method(), pathOf(op), response);
  }

  /** A request path the operation's template matches: every parameter {@code x}. */
  private static String pathOf(Operation op) {
    return op.path().replaceAll("\\{[^/}]+}", "x");
  }

  /**
   * Checks a value against one of the document's schemas, for what a response carries inside its
   * body: the {@code data} of each server-sent event of a change stream is a {@code ChangeEvent}.
   *
   * @throws AssertionError saying how the value does not fit, or that there is no such schema
   */
  public void checkSchema(String name, Object value) {
    JsonObject schema = componentSchemas == null ? null : componentSchemas.getJsonObject(name);
    if (schema == null) {
      throw new AssertionError("no schema " + name + " in #/components/schemas");
    }
    List<String> problems = new ArrayList<>();
    validate(schema, value, name, problems);
    if (!problems.isEmpty()) {
      throw new AssertionError(value + "\n  " + String.join("\n  ", problems));
    }
  }

  private void checkHeaders(JsonObject headers, Response response, List<String> problems) {
    for (String name :
        headers.fieldNames().stream().filter(JsonSchema.EXCLUDE_ANNOTATIONS).toList()) {
      JsonObject header = headers.getJsonObject(name);
      Optional<String> value = response.header(name);
      if (value.isEmpty()) {
        if (header.getBoolean("required", false)) {
          problems.add("missing header " + name);
        }
      } else if (header.containsKey("schema")) {
        // Header values are text; every header schema of the document is a string schema.
        validate(header.getJsonObject("schema"), value.get(), "header " + name, problems);
      }
    }
  }

  private void checkContent(JsonObject content, Response response, List<String> problems) {
    Optional<String> contentType =
        response.header("Content-Type").map(t -> t.split(";")[0].trim().toLowerCase(Locale.ROOT));
    Set<String> types =
        content.fieldNames().stream()
            .filter(JsonSchema.EXCLUDE_ANNOTATIONS)
            .collect(Collectors.toSet());
    if (types.isEmpty()) {
      if (!response.body().isEmpty()) {
        problems.add("a body where none is documented");
      }
      return;
    }
    if (contentType.isEmpty() || !types.contains(contentType.get())) {
      problems.add("content type " + contentType.orElse("(none)") + " is not one of " + types);
      return;
    }
    JsonObject schema = content.getJsonObject(contentType.get()).getJsonObject("schema");
    if (schema == null) {
      return;
    }
    Object body = response.body();
    if (contentType.get().equals("application/json") || contentType.get().endsWith("+json")) {
      try {
        body = Json.decodeValue(response.body());
      } catch (DecodeException e) {
        problems.add("a body that is not JSON");
        return;
      }
    }
    validate(schema, body, "body", problems);
  }

  private void validate(JsonObject schema, Object value, String what, List<String> problems) {
    OutputUnit result = schemas.validator(JsonSchema.of(schema)).validate(value);
    if (!Boolean.TRUE.equals(result.getValid())) {
      problems.add(what + " does not fit its schema:\n" + describe(result));
    }
  }

  private static String describe(OutputUnit result) {
    if (result.getErrors() == null || result.getErrors().isEmpty()) {
      return "    " + result.getError();
    }
    return result.getErrors().stream()
        .map(
            e ->
                "    at '"
                    + e.getInstanceLocation()
                    + "' ("
                    + e.getKeywordLocation()
                    + "): "
                    + e.getError())
        .collect(Collectors.joining("\n"));
  }

  /**
   * The operations a router serves under {@code prefix} (e.g. {@code /v1/}), as {@code METHOD
   * /path/{param}}. Routes for any method on a path prefix ({@code /v1/*}) are middleware, such as
   * authentication, and not operations. A route whose path cannot be read as a template (a regular
   * expression, a path prefix) is compared by its name when that is one: set with {@code
   * route.setName("/admin/v1/tenants/{slug}:suspend")}; one named outside {@code prefix} is not an
   * operation of this document.
   *
   * @throws AssertionError for a route that cannot be compared with a document: a regular
   *     expression without a template name, or any method on an exact path
   */
  public static Set<String> routedOperations(List<Route> routes, String prefix) {
    Set<String> keys = new TreeSet<>();
    for (Route route : routes) {
      String path = route.getPath();
      String name = route.getName();
      boolean named =
          name != null && name.startsWith(prefix) && name.contains("{") && !name.contains("(");
      if (path == null && !named) {
        if (route.isRegexPath() && (name == null || name.startsWith(prefix))) {
          throw new AssertionError("a regular-expression route without a template name: " + route);
        }
        continue; // router.route(): every request, e.g. request ids, bodies, failures
      }
      String template = named ? name : path.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      if (!template.startsWith(prefix)) {
        continue;
      }
      if (route.methods() == null || route.methods().isEmpty()) {
        if (route.isExactPath() || named) {
          throw new AssertionError("a route for any method: " + template);
        }
        continue;
      }
      for (HttpMethod method : route.methods()) {
        keys.add(method.name() + " " + template);
      }
    }
    return keys;
  }
}
