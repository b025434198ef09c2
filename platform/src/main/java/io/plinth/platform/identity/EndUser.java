package io.plinth.platform.identity;

import io.vertx.core.json.JsonObject;

/**
 * Who a verified token names: its subject and issuer, and all its claims (roles, e-mail) for
 * callers that need more. The claims are shared: do not change them.
 */
public record EndUser(String subject, String issuer, JsonObject claims) {}
