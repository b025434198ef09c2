package io.plinth.provisioning.keys;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.platform.keys.KeyKind;
import io.plinth.provisioning.admin.AdminParams;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code POST /tenants/{slug}/keys} {@code {kind, name, expiresAt?}}: a key to issue. */
public record NewKey(KeyKind kind, String name, Optional<OffsetDateTime> expiresAt) {

  public static final Set<String> FIELDS = Set.of("kind", "name", "expiresAt");
  private static final int MAX_NAME = 200;

  /**
   * Checks every field and reports all problems at once; {@code expiresAt} must come after {@code
   * now}.
   *
   * @throws ProblemException 400 {@code validation_failed} with one entry per bad field
   */
  public static NewKey from(JsonObject body, OffsetDateTime now) {
    List<Problem.FieldError> errors = new ArrayList<>();
    Object kindValue = body.getValue("kind");
    Optional<KeyKind> kind =
        kindValue instanceof String s
            ? KeyKind.ofApiName(s).filter(k -> k != KeyKind.OPERATOR)
            : Optional.empty();
    if (kind.isEmpty()) {
      errors.add(new Problem.FieldError("kind", "publishable or secret"));
    }
    Object nameValue = body.getValue("name");
    if (!(nameValue instanceof String name) || name.isBlank() || name.length() > MAX_NAME) {
      errors.add(new Problem.FieldError("name", "1 to " + MAX_NAME + " characters"));
    }
    Optional<OffsetDateTime> expiresAt = expiresAt(body.getValue("expiresAt"), now, errors);
    ProblemException.failIfAny(errors, AdminParams.INVALID);
    return new NewKey(kind.get(), ((String) nameValue).strip(), expiresAt);
  }

  private static Optional<OffsetDateTime> expiresAt(
      Object value, OffsetDateTime now, List<Problem.FieldError> errors) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      OffsetDateTime expiresAt = OffsetDateTime.parse(String.valueOf(value));
      if (!expiresAt.isAfter(now)) {
        errors.add(new Problem.FieldError("expiresAt", "must be in the future"));
      }
      return Optional.of(expiresAt);
    } catch (DateTimeParseException e) {
      errors.add(new Problem.FieldError("expiresAt", "an RFC 3339 timestamp with offset"));
      return Optional.empty();
    }
  }
}
