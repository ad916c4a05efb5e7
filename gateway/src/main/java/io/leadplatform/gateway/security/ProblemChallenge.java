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
 * The 401 for a request without a token on a protected path, as problem+json with
 * {@code WWW-Authenticate: Bearer realm="leads"}. Quarkus answers that case by asking the
 * authentication mechanisms for a challenge (not through a routing failure), and the OIDC mechanism's
 * challenge has no body; this mechanism comes first, authenticates nobody (the OIDC mechanism checks
 * the tokens) and sends the challenge with a problem body.
 */
@ApplicationScoped
public class ProblemChallenge implements HttpAuthenticationMechanism {

    static final String CHALLENGE = "Bearer realm=\"leads\"";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
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
