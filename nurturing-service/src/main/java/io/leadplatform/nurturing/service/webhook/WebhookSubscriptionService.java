package io.leadplatform.nurturing.service.webhook;

import io.leadplatform.common.rest.Problem;
import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.nurturing.config.webhook.WebhooksConfig;
import io.leadplatform.nurturing.domain.webhook.WebhookEventType;
import io.leadplatform.nurturing.domain.webhook.WebhookSubscription;
import io.leadplatform.nurturing.repository.webhook.WebhookSubscriptionRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Use cases: admins subscribe receiver URLs to event types, read, change and delete subscriptions. */
@ApplicationScoped
public class WebhookSubscriptionService {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final int MAX_URL_LENGTH = 2000;
    static final int MAX_DESCRIPTION_LENGTH = 500;

    private final WebhookSubscriptionRepository subscriptions;
    private final WebhooksConfig config;

    public WebhookSubscriptionService(WebhookSubscriptionRepository subscriptions, WebhooksConfig config) {
        this.subscriptions = subscriptions;
        this.config = config;
    }

    /** What an admin sends to create or change a subscription. */
    public record SubscriptionCommand(String url, List<String> eventTypes, String description, Boolean active) {
    }

    public Uni<WebhookSubscription> create(SubscriptionCommand command) {
        validate(command);
        Instant now = now();
        WebhookSubscription s = new WebhookSubscription(UUID.randomUUID(), command.url().trim(), distinct(command.eventTypes()),
                blankToNull(command.description()), newSecret(), command.active() == null || command.active(), now, now);
        return subscriptions.insert(s).replaceWith(s);
    }

    public Uni<List<WebhookSubscription>> list() {
        return subscriptions.list();
    }

    public Uni<WebhookSubscription> get(UUID id) {
        return subscriptions.find(id).onItem().ifNull().failWith(() -> notFound(id));
    }

    /** Replaces URL, event types, description and active flag; the secret stays. */
    public Uni<WebhookSubscription> update(UUID id, SubscriptionCommand command) {
        validate(command);
        return get(id).chain(existing -> {
            WebhookSubscription changed = new WebhookSubscription(id, command.url().trim(), distinct(command.eventTypes()),
                    blankToNull(command.description()), existing.secret(),
                    command.active() == null ? existing.active() : command.active(), existing.createdAt(), now());
            return subscriptions.update(changed).map(updated -> {
                if (!updated) {
                    throw notFound(id);
                }
                return changed;
            });
        });
    }

    /** A new secret signs every delivery from now on (also retries of older ones); answered once. */
    public Uni<WebhookSubscription> rotateSecret(UUID id) {
        String secret = newSecret();
        return subscriptions.rotateSecret(id, secret, now()).chain(found -> {
            if (!found) {
                return Uni.createFrom().failure(notFound(id));
            }
            return get(id);
        });
    }

    public Uni<Void> delete(UUID id) {
        return subscriptions.delete(id).map(found -> {
            if (!found) {
                throw notFound(id);
            }
            return null;
        });
    }

    /** 422 naming every invalid field; nothing is written before this passed. */
    void validate(SubscriptionCommand c) {
        List<Problem.FieldError> errors = new ArrayList<>();
        String urlProblem = urlProblem(c.url());
        if (urlProblem != null) {
            errors.add(new Problem.FieldError("url", urlProblem));
        }
        if (c.eventTypes() == null || c.eventTypes().isEmpty()) {
            errors.add(new Problem.FieldError("eventTypes", "must name at least one event type"));
        } else {
            for (int i = 0; i < c.eventTypes().size(); i++) {
                String type = c.eventTypes().get(i);
                if (type == null || WebhookEventType.ofType(type).filter(WebhookEventType::subscribable).isEmpty()) {
                    errors.add(new Problem.FieldError("eventTypes[" + i + "]", "unknown event type '" + type
                            + "'; known: " + String.join(", ", subscribableTypes())));
                }
            }
        }
        if (c.description() != null && c.description().length() > MAX_DESCRIPTION_LENGTH) {
            errors.add(new Problem.FieldError("description", "must be at most " + MAX_DESCRIPTION_LENGTH + " characters"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalid(errors));
        }
    }

    /** Why the URL cannot receive webhooks, or null when it can. */
    String urlProblem(String url) {
        if (url == null || url.isBlank()) {
            return "is required";
        }
        if (url.length() > MAX_URL_LENGTH) {
            return "must be at most " + MAX_URL_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            return "is not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "must be an http or https URL";
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return "must name a host";
        }
        if (uri.getUserInfo() != null) {
            return "must not carry credentials";
        }
        if (uri.getFragment() != null) {
            return "must not have a fragment";
        }
        if (!config.allowPrivateTargets() && internalHost(uri.getHost())) {
            return "must not name a loopback, private or link-local address";
        }
        return null;
    }

    /** Literal internal targets (names are not resolved here). */
    public static boolean internalHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost") || h.endsWith(".local") || h.endsWith(".internal")) {
            return true;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(h); // a literal: parsed, not looked up
            return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                    || address.isAnyLocalAddress() || address.isMulticastAddress()
                    || (address.getAddress().length == 16 && (address.getAddress()[0] & 0xfe) == 0xfc);
        } catch (java.net.UnknownHostException | RuntimeException e) {
            return false;
        }
    }

    public static List<String> subscribableTypes() {
        List<String> types = new ArrayList<>();
        for (WebhookEventType t : WebhookEventType.values()) {
            if (t.subscribable()) {
                types.add(t.type());
            }
        }
        return types;
    }

    /** A Standard Webhooks secret: {@code whsec_} and 32 random bytes in base64. */
    static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private static List<String> distinct(List<String> types) {
        return List.copyOf(new LinkedHashSet<>(types));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static ProblemException notFound(UUID id) {
        return ProblemException.notFound("no webhook subscription " + id);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
