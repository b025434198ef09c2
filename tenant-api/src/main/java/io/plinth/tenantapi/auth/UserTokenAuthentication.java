package io.plinth.tenantapi.auth;

import io.plinth.platform.identity.TokenVerifier;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Signs the caller in as an end user when {@code Authorization: Bearer} holds a user token next to
 * the {@code apikey} header. A token that does not verify for the key's tenant is refused (401
 * {@code invalid_user_token}) even where the collection is public: a client that sent a token
 * believes it is signed in, and must learn that it is not. Runs after {@link ApiKeyAuthentication},
 * so the tenant, and what its tokens must say, are known; a tenant without end-user sign-in refuses
 * every token.
 */
public final class UserTokenAuthentication implements Handler<RoutingContext> {

  private static final String BEARER = "Bearer ";
  private final TokenVerifier verifier;

  public UserTokenAuthentication(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
        || ApiKeyAuthentication.isApiKey(authorization.substring(BEARER.length()).trim())) {
      ctx.next();
      return;
    }
    Caller caller = Caller.of(ctx);
    String token = authorization.substring(BEARER.length()).trim();
    caller
        .userTokens()
        .map(expected -> verifier.verify(expected, token))
        .orElseGet(TokenVerifier::noSignIn)
        .onSuccess(
            user -> {
              caller.signedInAs(user).attachTo(ctx);
              ctx.next();
            })
        .onFailure(ctx::fail);
  }
}
