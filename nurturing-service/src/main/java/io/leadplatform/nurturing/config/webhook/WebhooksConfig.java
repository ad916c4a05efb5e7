package io.leadplatform.nurturing.config.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** nurturing.webhooks.*: outbound webhook deliveries and the inbound ESP endpoint. */
@ConfigMapping(prefix = "nurturing.webhooks")
public interface WebhooksConfig {

    Dispatch dispatch();

    Http http();

    Retry retry();

    Esp esp();

    /**
     * Whether subscription URLs may name loopback, private or link-local addresses literally
     * (127.0.0.1, 10.x, localhost ...). Off in production: an admin cannot aim deliveries at internal services.
     */
    @WithDefault("false")
    boolean allowPrivateTargets();

    /** How long succeeded deliveries stay in the log (dead ones stay until replayed or the subscription is deleted). */
    @WithDefault("30d")
    Duration retention();

    interface Dispatch {
        /** How often a replica looks for due deliveries (Quarkus scheduler syntax); new deliveries also wake it. */
        @WithDefault("1s")
        String pollInterval();

        /** Deliveries one claim takes. */
        @WithDefault("100")
        int batchSize();

        /** HTTP calls in flight at once per replica. */
        @WithDefault("32")
        int concurrency();

        /** How long a claim holds a delivery; a replica that dies mid-batch frees it when the lease ends. */
        @WithDefault("2m")
        Duration lease();
    }

    interface Http {
        @WithDefault("5s")
        Duration connectTimeout();

        /** The whole call: connect, send, answer read. A receiver slower than this counts as failed. */
        @WithDefault("15s")
        Duration timeout();
    }

    /** Exponential backoff with jitter: attempt n waits initialDelay * multiplier^(n-1), at most maxDelay, +-jitter. */
    interface Retry {
        /** Attempts in all (the first one included) before a delivery is dead-lettered. */
        @WithDefault("12")
        int maxAttempts();

        @WithDefault("10s")
        Duration initialDelay();

        @WithDefault("3")
        double multiplier();

        @WithDefault("5h")
        Duration maxDelay();

        /** Relative spread of each delay: 0.2 = uniformly within +-20 %. */
        @WithDefault("0.2")
        double jitter();
    }

    interface Esp {
        /** The Standard Webhooks secret (whsec_...) the e-mail provider signs bounce and complaint notifications with. */
        Optional<String> secret();
    }
}
