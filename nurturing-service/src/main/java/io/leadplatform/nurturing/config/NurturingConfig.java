package io.leadplatform.nurturing.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the nurturing engine (prefix {@code nurturing}). */
@ConfigMapping(prefix = "nurturing")
public interface NurturingConfig {

    /** Base of the links the e-mails carry (unsubscribe, open pixel, click redirect): the gateway's public https address. */
    @WithDefault("https://links.leads.local")
    String publicUrl();

    /** HMAC key that signs tracking and unsubscribe tokens. */
    String linkSecret();

    /** The template of the double opt-in confirmation (transactional). */
    @WithDefault("optin-confirmation")
    String optinTemplate();

    Scheduler scheduler();

    Dispatch dispatch();

    Cap cap();

    Tracking tracking();

    interface Scheduler {
        /** The background tick (wake-ups after commits work regardless); tests switch it off. */
        @WithDefault("true")
        boolean enabled();

        /** How often an idle replica looks for due enrollments and mails. */
        @WithDefault("1s")
        Duration every();

        @WithDefault("200")
        int batchSize();

        /** How long a claim holds; an expired claim is taken over by any replica. */
        @WithDefault("60s")
        Duration lease();
    }

    interface Dispatch {
        /** Mails claimed per round by one worker (also the most that can be in doubt per worker if the replica dies). */
        @WithDefault("100")
        int batchSize();

        /** Claim-send-commit loops per replica running side by side. */
        @WithDefault("2")
        int workers();

        @WithDefault("60s")
        Duration lease();

        /** SMTP 4xx answers: attempts before the mail counts as a soft bounce. */
        @WithDefault("5")
        int maxAttempts();

        /** Backoff after the first 4xx; doubled per attempt. */
        @WithDefault("30s")
        Duration retryBackoff();

        /** Timeout of one SMTP transaction. */
        @WithDefault("30s")
        Duration timeout();

        /**
         * A 250 from our SMTP server is final delivery (true locally with GreenMail, which is the mailbox);
         * false behind a relay, where delivery is reported later by the ESP.
         */
        @WithDefault("true")
        boolean finalHop();

        /**
         * REST API of a GreenMail server that can tell whether it accepted a message (by Message-ID): resolves mails
         * left in doubt by a dead replica. Without it such mails are not resent (state unknown).
         */
        Optional<String> greenmailApi();
    }

    interface Cap {
        /** At most this many marketing e-mails per lead (all sequences) … */
        @WithDefault("3")
        int max();

        /** … within this period. */
        @WithDefault("7d")
        Duration window();
    }

    interface Tracking {
        /** An open or click sooner than this after the send is a scanner or prefetch. */
        @WithDefault("5s")
        Duration minHumanDelay();

        /** Clicks on this many different links of one message … */
        @WithDefault("3")
        int burstLinks();

        /** … within this period are a scanner following every link. */
        @WithDefault("5s")
        Duration burstWindow();

        /** User agents of link scanners and security gateways (case-insensitive substrings). */
        @WithDefault("bot,spider,crawler,scanner,barracuda,proofpoint,mimecast,safelinks,bingpreview,symantec,trendmicro,fireeye,forcepoint,cisco,sophos,urldefense,python-requests,python-urllib,go-http-client,curl/,wget,java/,okhttp,headlesschrome,phantomjs,facebookexternalhit,slackbot,linkchecker")
        List<String> scannerAgents();

        /** User agents of mail privacy and image proxies (opens fetched by the provider, not the reader). */
        @WithDefault("googleimageproxy,ggpht.com,yahoomailproxy")
        List<String> proxyAgents();

        /** Networks of privacy proxies (Apple Mail Privacy Protection fetches from Apple's 17.0.0.0/8). */
        @WithDefault("17.0.0.0/8")
        List<String> proxyNetworks();
    }
}
