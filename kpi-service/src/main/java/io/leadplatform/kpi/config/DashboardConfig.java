package io.leadplatform.kpi.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The marketer's dashboard (GET /api/kpi/dashboard): where the browser logs in. */
@ConfigMapping(prefix = "kpi.dashboard")
public interface DashboardConfig {

    /** Public OIDC client the browser logs in with (authorization code + PKCE). */
    @WithDefault("leads-web")
    String clientId();

    /**
     * The realm URL as the browser reaches it (its login page); default: quarkus.oidc.auth-server-url, which
     * this service uses to exchange the code (a cluster can reach Keycloak under another name than browsers).
     */
    Optional<String> publicAuthServerUrl();

    /** How long the code and refresh exchanges with Keycloak may take. */
    @WithDefault("5s")
    Duration tokenTimeout();
}
