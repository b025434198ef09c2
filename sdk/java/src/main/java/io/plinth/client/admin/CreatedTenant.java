package io.plinth.client.admin;

import java.util.List;
import java.util.Optional;

/**
 * A tenant just made, with its keys in plaintext (shown only once: a replay of the creation, {@code
 * replayed}, shows none).
 */
public record CreatedTenant(Tenant tenant, List<CreatedKey> keys, boolean replayed) {

  public Optional<CreatedKey> key(KeyKind kind) {
    return keys.stream().filter(k -> k.key().kind() == kind).findFirst();
  }
}
