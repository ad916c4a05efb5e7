package io.leadplatform.gateway.security;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verified-token cache: a bearer token that quarkus-oidc verified once (signature against the realm's
 * keys, issuer, expiry) is not verified again on the next request that carries the same token; its
 * identity (subject, roles, claims) is reused until the token's {@code exp}. Keyed by the whole token
 * string, so a different or altered token never matches. Roles are still enforced on every request
 * (the path policies run on the identity). A revoked token stays usable until its exp, exactly as
 * with local JWT verification without the cache.
 * <p>
 * The first authentication mechanism ({@link GatewayBearerMechanism}) answers from the cache or passes
 * (so quarkus-oidc's mechanism verifies); as an augmentor, this class stores what OIDC verified.
 */
@ApplicationScoped
public class VerifiedTokenCache implements SecurityIdentityAugmentor {

    private static final String CACHED = VerifiedTokenCache.class.getName();

    private record Entry(SecurityIdentity identity, long expiresAtSeconds) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.LongAdder hits = new java.util.concurrent.atomic.LongAdder();
    private final boolean enabled;
    private final int maxEntries;

    VerifiedTokenCache(@ConfigProperty(name = "gateway.token-cache.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "gateway.token-cache.max-entries", defaultValue = "10000") int maxEntries) {
        this.enabled = enabled;
        this.maxEntries = maxEntries;
    }

    /** The identity verified earlier for this exact token, for this request; null when unknown or expired. */
    SecurityIdentity lookup(String token, RoutingContext rc) {
        SecurityIdentity identity = verified(token);
        if (identity == null) {
            return null; // unknown, or expired: quarkus-oidc verifies (and rejects an expired token with 401)
        }
        return QuarkusSecurityIdentity.builder(identity)
                .addAttribute(CACHED, Boolean.TRUE)
                .addAttribute(RoutingContext.class.getName(), rc)
                .build();
    }

    /**
     * The identity OIDC verified earlier for this exact token, as it was verified (for the gateway's lean
     * path, which needs no request-bound copy); null when unknown or expired.
     */
    public SecurityIdentity verified(String token) {
        if (!enabled || token == null) {
            return null;
        }
        Entry entry = entries.get(token);
        if (entry == null) {
            return null;
        }
        if (System.currentTimeMillis() / 1000 >= entry.expiresAtSeconds()) {
            entries.remove(token);
            return null;
        }
        hits.increment();
        return entry.identity();
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (enabled && !identity.isAnonymous() && identity.getAttribute(CACHED) == null
                && identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getExpirationTime() > 0) {
            AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
            if (credential != null && credential.getToken() != null) {
                if (entries.size() >= maxEntries) {
                    long now = System.currentTimeMillis() / 1000;
                    entries.values().removeIf(e -> e.expiresAtSeconds() <= now);
                    if (entries.size() >= maxEntries) {
                        entries.clear();
                    }
                }
                entries.put(credential.getToken(), new Entry(identity, jwt.getExpirationTime()));
            }
        }
        return Uni.createFrom().item(identity);
    }

    /** Requests answered from the cache since start. */
    public long hits() {
        return hits.sum();
    }

    public int size() {
        return entries.size();
    }
}
