package io.plinth.platform.cluster;

/**
 * Names of the distributed maps every node declares. Each entry's key starts with the tenant, so
 * one tenant's state can be found, bounded and dropped on its own.
 */
public final class ClusterMaps {

  private ClusterMaps() {}

  /** Tenant metadata (status, plan, schema) by tenant slug. */
  public static final String TENANTS = "plinth.tenants";

  /** API-key metadata by key hash. */
  public static final String API_KEYS = "plinth.api-keys";

  /** Collection definitions by tenant and collection name. */
  public static final String COLLECTIONS = "plinth.collections";

  /** Cached records by tenant, collection and id. */
  public static final String RECORDS = "plinth.records";

  /** Measured tenant usage (rows, bytes on disk) by tenant, for storage quotas. */
  public static final String USAGE = "plinth.usage";

  /**
   * OpenID issuers' signing keys (JWKS) by issuer URL, with when they were fetched: see {@code
   * IssuerKeys}. Keyed by issuer rather than tenant, since tenants of a shared realm share one.
   */
  public static final String ISSUER_KEYS = "plinth.issuer-keys";

  /**
   * The running nodes of every service by Hazelcast member UUID (see {@code NodeDirectory}): not
   * tenant data, so keyed by node.
   */
  public static final String NODES = "plinth.nodes";

  /** Rate-limit counters by tenant and key. */
  public static final String RATE_LIMITS = "plinth.rate-limits";
}
