package io.leadplatform.nurturing.service.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.leadplatform.common.outbox.Outbox;
import io.leadplatform.common.outbox.OutboxEvent;
import io.leadplatform.common.rest.Problem;
import io.leadplatform.contracts.EventTypes;
import io.leadplatform.nurturing.config.webhook.WebhooksConfig;
import io.leadplatform.nurturing.repository.webhook.EspNotificationRepository;
import io.leadplatform.nurturing.repository.webhook.EspNotificationRepository.Notification;
import io.leadplatform.nurturing.service.SuppressionService;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Bounce and complaint notifications from an e-mail provider, signed with Standard Webhooks under
 * the configured secret. A verified notification is recorded once per webhook-id; a hard bounce or
 * a complaint suppresses the address and, for a known lead, its contact ({@link SuppressionService}:
 * enrollments end, queued mails are dropped); for a known lead an {@code email.event} (bounced /
 * complained) goes out through the outbox. All in one transaction. The same webhook-id again gets the first
 * answer and changes nothing.
 */
@ApplicationScoped
public class EspNotificationService {

    private static final Logger LOG = Logger.getLogger(EspNotificationService.class);
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
    static final String BOUNCED = "email.bounced";
    static final String COMPLAINED = "email.complained";

    private final Pool pool;
    private final EspNotificationRepository notifications;
    private final Outbox outbox;
    private final SuppressionService suppression;
    private final WebhooksConfig config;
    private final ObjectMapper mapper;

    public EspNotificationService(Pool pool, EspNotificationRepository notifications, Outbox outbox, SuppressionService suppression,
                                  WebhooksConfig config, ObjectMapper mapper) {
        this.pool = pool;
        this.notifications = notifications;
        this.outbox = outbox;
        this.suppression = suppression;
        this.config = config;
        this.mapper = mapper;
    }

    /** The status and JSON body to answer (problem+json for 4xx). */
    public record Answer(int status, String body) {
    }

    /** What a notification says, once read and checked. */
    record Report(String kind, String email, String bounceType, String reason, String messageId, Instant occurredAt) {
        boolean suppresses() {
            return kind.equals("complained") || "hard".equals(bounceType);
        }
    }

    public Uni<Answer> receive(String payload, Map<String, List<String>> headers) {
        String refused = verify(payload, headers);
        if (refused != null) {
            return Uni.createFrom().item(problem(Problem.of(401, "Unauthorized", refused)));
        }
        String webhookId = first(headers, "webhook-id");
        if (webhookId.length() > 200) {
            return Uni.createFrom().item(problem(Problem.of(400, "Bad webhook-id", "webhook-id is longer than 200 characters")));
        }
        JsonNode root;
        try {
            root = mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            return Uni.createFrom().item(problem(Problem.of(400, "Malformed request body", "the body is not a JSON object")));
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        Report report = read(root, errors);
        if (!errors.isEmpty()) {
            return Uni.createFrom().item(problem(Problem.invalid(errors)));
        }
        return record(webhookId, report);
    }

    private Uni<Answer> record(String webhookId, Report report) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        boolean[] emitted = new boolean[1];
        return pool.withTransaction(conn -> notifications.answerOf(conn, webhookId).chain(previous -> {
                    if (previous != null) {
                        return Uni.createFrom().item(new Answer(200, previous));
                    }
                    return notifications.leadOf(conn, report.email()).chain(leadId -> {
                        String answer = answer(webhookId, report, leadId);
                        Notification n = new Notification(webhookId, report.kind(), report.email().toLowerCase(java.util.Locale.ROOT),
                                report.bounceType(), report.reason(), leadId, report.suppresses(), answer, now);
                        return notifications.insertIfNew(conn, n).chain(isNew -> {
                            if (!isNew) {
                                // the same webhook-id committed meanwhile: answer as it was answered
                                return notifications.answerOf(conn, webhookId).map(a -> new Answer(200, a));
                            }
                            SuppressionService.Reason why = report.kind().equals("complained")
                                    ? SuppressionService.Reason.COMPLAINT : SuppressionService.Reason.HARD_BOUNCE;
                            Uni<Void> suppressed = !report.suppresses() ? Uni.createFrom().voidItem()
                                    // the address (also when no contact has it yet), then the lead's contact, enrollments, queued mails
                                    : notifications.suppress(conn, report.email(), why == SuppressionService.Reason.COMPLAINT
                                            ? "complaint" : "hard-bounce", report.reason(), webhookId, now)
                                    .chain(() -> leadId == null ? Uni.createFrom().voidItem() : this.suppression.suppress(conn, leadId, why));
                            return suppressed.chain(() -> {
                                if (leadId == null) {
                                    return Uni.createFrom().voidItem();
                                }
                                emitted[0] = true;
                                return outbox.insertAll(conn, List.of(event(webhookId, report, leadId)));
                            }).replaceWith(new Answer(200, answer));
                        });
                    });
                }))
                .invoke(() -> {
                    if (emitted[0]) {
                        outbox.committed();
                    }
                });
    }

    /** The email.event (bounced / complained) for scoring, kpi, suppression and outbound webhooks. */
    private OutboxEvent event(String webhookId, Report report, UUID leadId) {
        ObjectNode data = mapper.createObjectNode();
        data.put("leadId", leadId.toString());
        data.put("emailId", report.messageId() != null ? report.messageId() : "esp:" + webhookId);
        data.put("kind", report.kind());
        data.put("bot", false);
        data.put("occurredAt", report.occurredAt().toString());
        data.put("reason", report.reason());
        if (report.bounceType() != null) {
            data.put("bounceType", report.bounceType());
        }
        return outbox.prepare(EventTypes.EMAIL_EVENT, leadId, data);
    }

    private String answer(String webhookId, Report report, UUID leadId) {
        ObjectNode body = mapper.createObjectNode();
        body.put("webhookId", webhookId);
        body.put("kind", report.kind());
        if (report.bounceType() != null) {
            body.put("bounceType", report.bounceType());
        }
        body.put("suppressed", report.suppresses());
        body.put("leadId", leadId == null ? null : leadId.toString());
        return body.toString();
    }

    /**
     * The notification format (see the README): {@code {"type": "email.bounced" | "email.complained",
     * "timestamp": ..., "data": {"email", "bounceType": "hard" | "soft" (bounces), "reason", "messageId", "occurredAt"}}}.
     */
    static Report read(JsonNode root, List<Problem.FieldError> errors) {
        String type = text(root, "type");
        String kind = null;
        if (BOUNCED.equals(type)) {
            kind = "bounced";
        } else if (COMPLAINED.equals(type)) {
            kind = "complained";
        } else {
            errors.add(new Problem.FieldError("type", "must be " + BOUNCED + " or " + COMPLAINED));
        }
        JsonNode data = root.path("data");
        if (!data.isObject()) {
            errors.add(new Problem.FieldError("data", "is required (an object)"));
            return null;
        }
        String email = text(data, "email");
        if (email == null || email.length() > 254 || !EMAIL.matcher(email).matches()) {
            errors.add(new Problem.FieldError("data.email", email == null ? "is required" : "is not an e-mail address"));
        }
        String bounceType = text(data, "bounceType");
        if ("bounced".equals(kind) && !"hard".equals(bounceType) && !"soft".equals(bounceType)) {
            errors.add(new Problem.FieldError("data.bounceType", "must be hard or soft"));
        }
        if ("complained".equals(kind) && bounceType != null) {
            errors.add(new Problem.FieldError("data.bounceType", "applies to bounces only"));
        }
        String reason = text(data, "reason");
        if (reason != null && reason.length() > 1000) {
            errors.add(new Problem.FieldError("data.reason", "must be at most 1000 characters"));
        }
        String messageId = text(data, "messageId");
        if (messageId != null && messageId.length() > 500) {
            errors.add(new Problem.FieldError("data.messageId", "must be at most 500 characters"));
        }
        Instant occurredAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String at = text(data, "occurredAt");
        if (at != null) {
            try {
                occurredAt = Instant.parse(at);
            } catch (DateTimeParseException e) {
                errors.add(new Problem.FieldError("data.occurredAt", "must be an ISO-8601 instant, e.g. 2026-12-03T08:00:00Z"));
            }
        }
        return new Report(kind, email, bounceType, reason, messageId, occurredAt);
    }

    /** null when authentic, else why not (answered as 401). */
    private String verify(String payload, Map<String, List<String>> headers) {
        if (first(headers, "webhook-id") == null || first(headers, "webhook-timestamp") == null
                || first(headers, "webhook-signature") == null) {
            return "the webhook-id, webhook-timestamp and webhook-signature headers are required";
        }
        String secret = config.esp().secret().orElse(null);
        if (secret == null || secret.isBlank()) {
            LOG.warn("ESP notification refused: nurturing.webhooks.esp.secret is not configured");
            return "the signature is not valid";
        }
        try {
            new Webhook(secret).verify(payload, headers);
            return null;
        } catch (WebhookVerificationException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("timestamp too old")) {
                return "webhook-timestamp is more than 5 minutes old";
            }
            if (m.contains("timestamp too new")) {
                return "webhook-timestamp is more than 5 minutes in the future";
            }
            return "the signature is not valid";
        } catch (EmptyWebhookSecretException | RuntimeException e) {
            LOG.warnf("ESP secret unusable: %s", e.getClass().getSimpleName());
            return "the signature is not valid";
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }

    private static Answer problem(Problem problem) {
        return new Answer(problem.status(), problem.toJson());
    }

    private static String first(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && e.getValue() != null && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }
}
