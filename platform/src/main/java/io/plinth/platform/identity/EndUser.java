package io.plinth.platform.identity;

/** An end user of a tenant's app, as a verified token names them. */
public record EndUser(String subject, String issuer) {}
