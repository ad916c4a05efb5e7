package io.leadplatform.gateway.security;

import io.leadplatform.gateway.routing.Problems;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * The gateway's first authentication mechanism, ahead of quarkus-oidc's. Authentication: a bearer token
 * that OIDC verified before (and that has not expired) gets its identity from the
 * {@link VerifiedTokenCache} without being verified again; any other request passes to the OIDC
 * mechanism. Challenge: the 401 for a request without a token on a protected path, as problem+json with
 * {@code WWW-Authenticate: Bearer realm="leads"}. Quarkus answers that case by asking the
 * authentication mechanisms for a challenge (not through a routing failure), and the OIDC mechanism's
 * challenge has no body; this mechanism sends the challenge with a problem body.
 */
@ApplicationScoped
public class GatewayBearerMechanism implements HttpAuthenticationMechanism {

    static final String CHALLENGE = "Bearer realm=\"leads\"";

    private final VerifiedTokenCache cache;

    GatewayBearerMechanism(VerifiedTokenCache cache) {
        this.cache = cache;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String authorization = context.request().getHeader("Authorization");
        if (authorization != null && authorization.length() > 7 && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            SecurityIdentity cached = cache.lookup(authorization.substring(7).trim(), context);
            if (cached != null) {
                return Uni.createFrom().item(cached);
            }
        }
        return Uni.createFrom().nullItem();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", CHALLENGE));
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!context.response().ended() && !context.response().headWritten()) {
            context.response().putHeader("WWW-Authenticate", CHALLENGE);
            Problems.send(context.response(), "unauthorized", "Unauthorized", 401, "A bearer token is required.",
                    context.request().path());
        }
        return Uni.createFrom().item(Boolean.TRUE);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }
}
