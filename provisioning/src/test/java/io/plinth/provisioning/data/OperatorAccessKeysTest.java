package io.plinth.provisioning.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.platform.keys.KeyKind;
import io.plinth.platform.registry.KeyRepository.CreatedKey;
import io.plinth.platform.registry.Tenant;
import io.plinth.platform.registry.TenantKey;
import io.plinth.platform.registry.TenantStatus;
import io.plinth.provisioning.keys.NewKey;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A tenant keeps one live operator-access key per node: a replaced key is revoked once unused. */
class OperatorAccessKeysTest {

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T10:00:00Z"));
  private final FakeIssuer issuer = new FakeIssuer();
  private final OperatorAccessKeys keys = new OperatorAccessKeys(issuer, clock);
  private final Tenant tenant =
      new Tenant(
          UUID.randomUUID(),
          "acme",
          "Acme",
          null,
          TenantStatus.ACTIVE,
          "t_acme",
          null,
          null,
          null,
          null,
          null,
          null);

  @Test
  void aRenewalRevokesThePreviousKeyOnceNoRequestHoldsIt() {
    OperatorAccessKeys.Lease first = keys.keyFor(tenant).result();
    first.release();
    OperatorAccessKeys.Lease again = keys.keyFor(tenant).result();
    again.release();
    assertThat(again.key()).as("still valid: the same key").isEqualTo(first.key());

    OperatorAccessKeys.Lease inFlight = keys.keyFor(tenant).result();
    clock.advance(Duration.ofMinutes(51));
    OperatorAccessKeys.Lease renewed = keys.keyFor(tenant).result();

    assertThat(renewed.key()).isNotEqualTo(first.key());
    assertThat(issuer.live()).as("a request still uses the old key").hasSize(2);
    inFlight.release();
    renewed.release();
    assertThat(issuer.live()).containsExactly(renewed.key());

    clock.advance(Duration.ofMinutes(51));
    keys.keyFor(tenant).result().release();
    assertThat(issuer.live()).hasSize(1).doesNotContain(renewed.key());
  }

  @Test
  void aRefusedKeyIsRevokedAndAStoppingNodeRevokesWhatItHolds() {
    OperatorAccessKeys.Lease refused = keys.keyFor(tenant).result();
    refused.release();
    keys.forget(tenant, refused.key());
    OperatorAccessKeys.Lease next = keys.keyFor(tenant).result();
    assertThat(issuer.live()).containsExactly(next.key());

    keys.revokeAll();
    assertThat(issuer.live()).isEmpty();
  }

  /** Keys issued and revoked in memory: plaintext → revoked. */
  private final class FakeIssuer implements OperatorAccessKeys.Issuer {
    private final Map<UUID, String> plaintexts = new LinkedHashMap<>();
    private final List<UUID> revoked = new ArrayList<>();

    @Override
    public Future<CreatedKey> create(String slug, NewKey key) {
      UUID id = UUID.randomUUID();
      String plaintext = "sk_" + id;
      plaintexts.put(id, plaintext);
      OffsetDateTime now = OffsetDateTime.now(clock);
      return Future.succeededFuture(
          new CreatedKey(
              new TenantKey(
                  id,
                  tenant.id(),
                  KeyKind.SECRET,
                  key.name(),
                  "sk_",
                  now,
                  key.expiresAt().orElseThrow(),
                  null,
                  null),
              plaintext));
    }

    @Override
    public Future<Void> revoke(String slug, UUID id) {
      revoked.add(id);
      return Future.succeededFuture();
    }

    List<String> live() {
      return plaintexts.entrySet().stream()
          .filter(e -> !revoked.contains(e.getKey()))
          .map(Map.Entry::getValue)
          .toList();
    }
  }

  private static final class MovableClock extends Clock {
    private Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
