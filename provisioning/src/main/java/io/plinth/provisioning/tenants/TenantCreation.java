package io.plinth.provisioning.tenants;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import io.plinth.platform.keys.ApiKeys;
import java.util.Optional;

/** A create request: the tenant, and the client's {@code Idempotency-Key} when it sent one. */
public record TenantCreation(
    NewTenant tenant, Optional<TenantLifecycle.IdempotencyKey> idempotency) {

  static final int MAX_IDEMPOTENCY_KEY = 200;

  /**
   * The {@code Idempotency-Key} header as the key of {@code actor}'s request with this body.
   *
   * @throws ProblemException 400 {@code validation_failed} for an empty or overlong key
   */
  public static Optional<TenantLifecycle.IdempotencyKey> idempotencyKey(
      String header, String actor, String body) {
    if (header == null) {
      return Optional.empty();
    }
    if (header.isBlank() || header.length() > MAX_IDEMPOTENCY_KEY) {
      throw new ProblemException(
          Problem.validationFailed(
              "bad Idempotency-Key header",
              "Idempotency-Key",
              "1 to " + MAX_IDEMPOTENCY_KEY + " characters"));
    }
    return Optional.of(new TenantLifecycle.IdempotencyKey(actor, header, ApiKeys.sha256(body)));
  }
}
