package io.plinth.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.identity.TokenExpectation;
import io.plinth.platform.keys.KeyKind;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The JSON of the cached registry entries: nodes of two versions share the cluster caches during a
 * rolling upgrade, so each version reads what the other wrote. The literals are what earlier
 * versions wrote and read.
 */
class CachedEntriesTest {

  private static final UUID KEY = UUID.fromString("0193a0c4-1b2c-7d3e-8f40-123456789abc");
  private static final UUID TENANT = UUID.fromString("0193a0c4-0000-7000-8000-000000000001");

  private static final TenantEntry ACME =
      new TenantEntry(
          "acme",
          TenantStatus.ACTIVE,
          "t_acme",
          new TenantLimits(200, 100, 5_000_000, 20L << 30, 100, 50, 1_000),
          "https://id.example.com/realms/plinth-acme",
          "plinth-acme",
          "acme-org");

  private static final String ACME_JSON =
      """
      {"slug":"acme","status":"active","schema":"t_acme","requestsPerSecond":200,
       "requestsPerKeyPerSecond":100,"maxCollections":100,"maxFields":50,"maxRows":5000000,
       "maxStorageBytes":21474836480,"busyMsPerSecond":1000,
       "identityIssuer":"https://id.example.com/realms/plinth-acme",
       "identityAudience":"plinth-acme","identityOrganization":"acme-org"}
      """;

  @Test
  void aTenantIsCachedUnderTheMemberNamesEarlierVersionsRead() {
    assertThat(new JsonObject(ACME.encode())).isEqualTo(new JsonObject(ACME_JSON));
  }

  @Test
  void aTenantCachedByAnEarlierVersionReadsAsItWasStored() {
    assertThat(TenantEntry.decode(ACME_JSON)).isEqualTo(ACME);
    assertThat(TenantEntry.decode(ACME.encode())).isEqualTo(ACME);
  }

  @Test
  void limitsAVersionBeforeQuotasDidNotCacheAreNoLimitsUntilTheTenantIsReadAgain() {
    TenantEntry old =
        TenantEntry.decode(
            """
            {"slug":"acme","status":"suspended","schema":"t_acme","requestsPerSecond":10,
             "requestsPerKeyPerSecond":10,"maxCollections":10,"maxFields":30}
            """);

    assertThat(old.status()).isEqualTo(TenantStatus.SUSPENDED);
    assertThat(old.limits())
        .isEqualTo(new TenantLimits(10, 10, Long.MAX_VALUE, Long.MAX_VALUE, 10, 30, 0));
    assertThat(old.userTokens()).as("identity not cached: every user token refused").isEmpty();
  }

  @Test
  void endUsersTokensNeedAnIssuerAndAnAudience() {
    assertThat(ACME.userTokens())
        .contains(
            new TokenExpectation(
                "https://id.example.com/realms/plinth-acme", "plinth-acme", "acme-org"));
    assertThat(withIdentity(ACME, "https://id.example.com/realms/plinth-acme", " ").userTokens())
        .isEmpty();
    assertThat(withIdentity(ACME, null, "plinth-acme").userTokens()).isEmpty();
  }

  @Test
  void aStatusOnlyANewerVersionKnowsIsReadAsFailedSoTheKeysAreRefused() {
    TenantEntry newer = TenantEntry.decode(ACME_JSON.replace("\"active\"", "\"archived\""));

    assertThat(newer.status()).isEqualTo(TenantStatus.FAILED);
  }

  @Test
  void aKeyIsCachedUnderTheMemberNamesEarlierVersionsRead() {
    KeyEntry key =
        new KeyEntry(KEY, KeyKind.SECRET, OffsetDateTime.parse("2027-01-31T12:00Z"), false, TENANT);
    String json =
        """
        {"id":"0193a0c4-1b2c-7d3e-8f40-123456789abc","kind":"secret",
         "expiresAt":"2027-01-31T12:00Z","revoked":false,
         "tenantId":"0193a0c4-0000-7000-8000-000000000001"}
        """;

    assertThat(new JsonObject(key.encode())).isEqualTo(new JsonObject(json));
    assertThat(KeyEntry.decode(json)).isEqualTo(key);
  }

  @Test
  void aKeyWithoutExpiryStaysWithoutOne() {
    KeyEntry key = new KeyEntry(KEY, KeyKind.PUBLISHABLE, null, true, TENANT);

    assertThat(new JsonObject(key.encode()).containsKey("expiresAt")).isTrue();
    assertThat(KeyEntry.decode(key.encode())).isEqualTo(key);
  }

  private static TenantEntry withIdentity(TenantEntry t, String issuer, String audience) {
    return new TenantEntry(
        t.slug(), t.status(), t.schema(), t.limits(), issuer, audience, t.identityOrganization());
  }
}
