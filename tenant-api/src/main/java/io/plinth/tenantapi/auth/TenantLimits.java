package io.plinth.tenantapi.auth;

/**
 * The limits of the caller's tenant that the data plane enforces, from its plan (copied onto the
 * tenant in the registry and read with the key). {@code busyMillisPerSecond}: how long the tenant's
 * requests may be in progress on one node per second, summed (0: no such limit; see {@link
 * io.plinth.tenantapi.limits.TenantBulkhead}).
 */
public record TenantLimits(
    int requestsPerSecond,
    int requestsPerKeyPerSecond,
    int maxCollections,
    int maxFields,
    long maxRows,
    long maxStorageBytes,
    int busyMillisPerSecond) {}
