package io.plinth.platform.identity;

/**
 * What a tenant's tokens must say: exactly this issuer, this audience among {@code aud}, and, when
 * {@code organization} is set (a tenant that is an organization of a shared realm), that
 * organization in the {@code organization} claim. Comes from the tenant's registry row.
 *
 * @param organization the organization's alias, or null when tokens need not name one
 */
public record TokenExpectation(String issuer, String audience, String organization) {

  public TokenExpectation {
    if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
      throw new IllegalArgumentException("a token expectation needs an issuer and an audience");
    }
    if (organization != null && organization.isBlank()) {
      organization = null;
    }
  }

  /** Tokens of an issuer of their own (a realm per tenant, an external issuer). */
  public TokenExpectation(String issuer, String audience) {
    this(issuer, audience, null);
  }
}
