package io.leadplatform.capture.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the forms channel: signing, double opt-in, anti-spam. */
@ConfigMapping(prefix = "capture.forms")
public interface FormsConfig {

    /** HMAC-SHA256 key of render tokens and confirmation tokens (set CAPTURE_FORMS_SECRET in production). */
    String secret();

    DoubleOptIn doubleOptIn();

    /** How long an instance keeps a form it read for public submissions (FormCache); 0 = read it every time. */
    @WithDefault("2s")
    Duration cacheTtl();

    /** Group commit of public submissions (SubmissionWriter): batch size and concurrent batches. */
    Writes writes();

    interface Writes {
        /** Most submissions written in one transaction. */
        @WithDefault("500")
        int maxBatch();

        /** Batches written at the same time (each holds one database connection). */
        @WithDefault("4")
        int maxInFlight();
    }

    Spam spam();

    interface DoubleOptIn {
        /** How long a confirmation link stays valid. */
        @WithDefault("48h")
        Duration tokenTtl();

        /** Public base URL the confirmation link starts with (the gateway), without a trailing slash. */
        @WithDefault("http://localhost:8080")
        String confirmBaseUrl();
    }

    interface Spam {
        /** Name of the hidden field people leave empty and bots fill. */
        @WithDefault("website_url")
        String honeypotField();

        /** A submission sooner than this after the form was rendered counts as spam. */
        @WithDefault("3s")
        Duration minFillTime();

        /** A render token older than this counts as spam. */
        @WithDefault("24h")
        Duration renderTokenMaxAge();

        /** Default submissions per minute from one client IP to one form (a form may override it); 0 = no limit. */
        @WithDefault("30")
        int ipPerMinute();

        /** Default submissions per minute to one form from all clients (a form may override it); 0 = no limit. */
        @WithDefault("6000")
        int formPerMinute();
    }
}
