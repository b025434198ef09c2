package io.plinth.provisioning.admin;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.provisioning.tenants.NewTenant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Parameters many admin routes take: the tenant's slug and ids in the path, ids anywhere. */
public final class AdminParams {

  /** The detail of a 400 for bad parameters. */
  public static final String INVALID = "the request is not valid";

  /** The path's {@code :slug}; what cannot be a slug names no tenant (404, without a lookup). */
  public static final RequestParser<String> SLUG =
      RequestParser.of("slug", ctx -> slug(ctx.pathParam("slug")));

  /** The path's {@code :id}, a UUID; else 400. */
  public static final RequestParser<UUID> ID =
      RequestParser.of("id", ctx -> id(ctx.pathParam("id")));

  private AdminParams() {}

  public static String slug(String text) {
    if (!NewTenant.SLUG.matcher(text).matches()) {
      throw new ProblemException(404, "tenant_not_found", "no tenant '" + text + "'");
    }
    return text;
  }

  static UUID id(String text) {
    List<Problem.FieldError> errors = new ArrayList<>();
    Optional<UUID> id = uuid(text, "id", errors);
    ProblemException.failIfAny(errors, INVALID);
    return id.orElseThrow();
  }

  /** {@code text} as a UUID; when it is not one, empty and an error for {@code field}. */
  public static Optional<UUID> uuid(String text, String field, List<Problem.FieldError> errors) {
    try {
      return Optional.of(UUID.fromString(text));
    } catch (IllegalArgumentException e) {
      errors.add(new Problem.FieldError(field, "not a valid id"));
      return Optional.empty();
    }
  }
}
