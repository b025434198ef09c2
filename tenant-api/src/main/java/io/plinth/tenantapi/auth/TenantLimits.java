package io.plinth.tenantapi.auth;

/**
 * The limits of the caller's tenant that the data plane enforces, from its plan (copied onto the
 * tenant in the registry and read with the key).
 */
public record TenantLimits(
    int requestsPerSecond,
    int requestsPerKeyPerSecond,
    int maxCollections,
    int maxFields,
    long maxRows,
    long maxStorageBytes) {}
