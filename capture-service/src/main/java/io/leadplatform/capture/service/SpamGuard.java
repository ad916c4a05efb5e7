package io.leadplatform.capture.service;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.leadplatform.capture.config.FormsConfig;
import io.leadplatform.capture.domain.Form;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Anti-spam checks of public submissions: per-IP and per-form rate limits (Bucket4j, in memory per
 * instance), honeypot field, minimum fill time via the signed render token. Also knows disposable
 * e-mail domains (a flag on the lead, not a rejection).
 */
@ApplicationScoped
public class SpamGuard {

    public static final String RATE_IP = "rate_limit_ip";
    public static final String RATE_FORM = "rate_limit_form";
    public static final String HONEYPOT = "honeypot";
    public static final String TOO_FAST = "too_fast";
    public static final String FORGED_TOKEN = "forged_token";
    public static final String EXPIRED_TOKEN = "expired_token";
    public static final String MISSING_TOKEN = "missing_token";

    private final FormsConfig.Spam config;
    private final FormTokens tokens;
    private final MeterRegistry registry;
    private final Set<String> disposableDomains;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public SpamGuard(FormsConfig config, FormTokens tokens, MeterRegistry registry) {
        this.config = config.spam();
        this.tokens = tokens;
        this.registry = registry;
        this.disposableDomains = loadDomains();
    }

    public String honeypotField() {
        return config.honeypotField();
    }

    /**
     * Why this submission is spam, or null when it is not. Consumes rate-limit tokens.
     *
     * @param honeypot    what the honeypot field held (null or blank for people)
     * @param renderToken the render token that came back with the submission, or null
     */
    public String check(Form form, String clientIp, String honeypot, String renderToken, Instant now) {
        // per IP first: one flooding client does not use up the form's budget
        int ipLimit = form.ipLimitPerMinute != null ? form.ipLimitPerMinute : config.ipPerMinute();
        if (ipLimit > 0 && clientIp != null && !bucket("i|" + form.formKey + "|" + clientIp + "|" + ipLimit, ipLimit).tryConsume(1)) {
            return RATE_IP;
        }
        int formLimit = form.formLimitPerMinute != null ? form.formLimitPerMinute : config.formPerMinute();
        if (formLimit > 0 && !bucket("f|" + form.formKey + "|" + formLimit, formLimit).tryConsume(1)) {
            return RATE_FORM;
        }
        if (honeypot != null && !honeypot.isBlank()) {
            return HONEYPOT;
        }
        if (renderToken == null || renderToken.isBlank()) {
            return form.requireRenderToken ? MISSING_TOKEN : null;
        }
        Instant renderedAt = tokens.verifyRender(form.formKey, renderToken.trim());
        if (renderedAt == null || renderedAt.isAfter(now.plusSeconds(5))) {
            return FORGED_TOKEN;
        }
        Duration filledIn = Duration.between(renderedAt, now);
        if (filledIn.compareTo(config.minFillTime()) < 0) {
            return TOO_FAST;
        }
        if (filledIn.compareTo(config.renderTokenMaxAge()) > 0) {
            return EXPIRED_TOKEN;
        }
        return null;
    }

    /** Counts one spam submission in the Micrometer counter capture_spam_total{reason}. */
    public void count(String reason) {
        counters.computeIfAbsent(reason, r -> Counter.builder("capture.spam")
                .description("Form submissions rejected as spam (answered as success, not stored)")
                .tag("reason", r).register(registry)).increment();
    }

    /** Whether the e-mail's domain (or a parent domain) is a known disposable mail domain. */
    public boolean isDisposable(String email) {
        int at = email.lastIndexOf('@');
        if (at < 0) {
            return false;
        }
        String domain = email.substring(at + 1).toLowerCase(Locale.ROOT);
        while (true) {
            if (disposableDomains.contains(domain)) {
                return true;
            }
            int dot = domain.indexOf('.');
            if (dot < 0) {
                return false;
            }
            domain = domain.substring(dot + 1);
        }
    }

    /** Forgets buckets that have refilled completely, so memory stays bounded by the active clients. */
    @Scheduled(every = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void evictIdleBuckets() {
        buckets.entrySet().removeIf(e -> {
            String[] parts = e.getKey().split("\\|");
            long capacity = Long.parseLong(parts[parts.length - 1]);
            return e.getValue().getAvailableTokens() >= capacity;
        });
    }

    private Bucket bucket(String key, int perMinute) {
        return buckets.computeIfAbsent(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .build());
    }

    private static Set<String> loadDomains() {
        Set<String> domains = new HashSet<>();
        try (InputStream in = SpamGuard.class.getResourceAsStream("/disposable-domains.txt")) {
            if (in == null) {
                throw new IllegalStateException("disposable-domains.txt missing from the classpath");
            }
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> l.toLowerCase(Locale.ROOT))
                    .forEach(domains::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(domains);
    }
}
