package io.plinth.platform.identity;

import java.util.Optional;

/** What a tenant's tokens must say: exactly this issuer, and this audience among {@code aud}. */
public record TokenExpectation(String issuer, String audience) {

  /** Tells the verifier what to expect of a tenant's tokens. */
  @FunctionalInterface
  public interface Source {

    /** Empty when the tenant has no end-user sign-in: its tokens are refused. */
    Optional<TokenExpectation> forTenant(String tenantSlug);

    /**
     * The same shape for every tenant, e.g. {@code https://id.example.com/realms/plinth-{slug}}:
     * one realm per tenant.
     */
    static Source template(String issuerTemplate, String audience) {
      return slug ->
          Optional.of(new TokenExpectation(issuerTemplate.replace("{slug}", slug), audience));
    }
  }
}
