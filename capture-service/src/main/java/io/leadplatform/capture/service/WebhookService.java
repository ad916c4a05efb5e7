package io.leadplatform.capture.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.leadplatform.capture.domain.Lead;
import io.leadplatform.capture.domain.Partner;
import io.leadplatform.capture.domain.PartnerDelivery;
import io.leadplatform.capture.domain.PartnerMapping;
import io.leadplatform.capture.messaging.LeadEvents;
import io.leadplatform.capture.repository.LeadRepository;
import io.leadplatform.capture.repository.PartnerDeliveryRepository;
import io.leadplatform.capture.repository.PartnerRepository;
import io.leadplatform.common.rest.Problem;
import io.leadplatform.capture.messaging.TransactionOutbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Signed partner posts (Standard Webhooks): verify, then map each lead, store the new ones with their
 * lead.captured events and the answer itself, all in one transaction. The same webhook-id again gets the
 * stored answer and changes nothing.
 */
@ApplicationScoped
public class WebhookService {

    private static final Logger LOG = Logger.getLogger(WebhookService.class);
    /** Most leads one post may carry. */
    public static final int MAX_BATCH = 1000;

    private final PartnerRepository partners;
    private final PartnerDeliveryRepository deliveries;
    private final LeadRepository leads;
    private final LeadEvents events;
    private final LeadIntake intake;
    private final ObjectMapper mapper;
    private final Pool pool;
    private final TransactionOutbox outbox;

    public WebhookService(PartnerRepository partners, PartnerDeliveryRepository deliveries, LeadRepository leads,
                          LeadEvents events, LeadIntake intake, ObjectMapper mapper, Pool pool, TransactionOutbox outbox) {
        this.pool = pool;
        this.outbox = outbox;
        this.partners = partners;
        this.deliveries = deliveries;
        this.leads = leads;
        this.events = events;
        this.intake = intake;
        this.mapper = mapper;
    }

    /** The status and JSON body to answer (a problem body for 4xx). */
    public record Answer(int status, String body) {
    }

    /** What a post's answer body says. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(String webhookId, String partnerId, int accepted, int duplicate, int rejected, List<Item> items) {
    }

    /** One lead of the post: accepted (with its new lead id), duplicate, or rejected with per-field errors. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(int index, String status, UUID leadId, List<Problem.FieldError> errors) {
    }

    public Uni<Answer> receive(String partnerId, String payload, Map<String, List<String>> headers) {
        String webhookId = first(headers, "webhook-id");
        return pool.withTransaction(c -> partners.findById(c, partnerId).chain(partner -> {
                    Answer refused = verify(partner, payload, headers);
                    if (refused != null) {
                        return Uni.createFrom().item(refused);
                    }
                    if (webhookId.length() > 200) {
                        return Uni.createFrom().item(problem(Problem.of(400, "Bad webhook-id", "webhook-id is longer than 200 characters")));
                    }
                    return deliveries.findMessage(c, partnerId, webhookId).chain(previous -> previous != null
                            ? Uni.createFrom().item(new Answer(previous.status, previous.body))
                            : process(c, partner, webhookId, payload));
                }))
                // the same webhook-id posted twice at once: the loser of the race replays the winner's answer
                .onFailure(WebhookService::isUniqueViolation).recoverWithUni(e -> deliveries.findMessage(pool, partnerId, webhookId).map(previous -> previous != null
                        ? new Answer(previous.status, previous.body)
                        : problem(Problem.of(409, "Conflict", "a lead of this post was stored concurrently; post it again"))));
    }

    /** null when the message is authentic, else the 401 to answer (unknown partners get the same 401). */
    private Answer verify(Partner partner, String payload, Map<String, List<String>> headers) {
        if (first(headers, "webhook-id") == null || first(headers, "webhook-timestamp") == null
                || first(headers, "webhook-signature") == null) {
            return unauthorized("the webhook-id, webhook-timestamp and webhook-signature headers are required");
        }
        if (partner == null || !partner.active) {
            return unauthorized("the signature is not valid for this partner");
        }
        String failure = check(partner.secret, payload, headers);
        if (failure != null && partner.previousSecret != null && partner.previousSecretExpiresAt != null
                && partner.previousSecretExpiresAt.isAfter(Instant.now())) {
            failure = check(partner.previousSecret, payload, headers) == null ? null : failure;
        }
        return failure == null ? null : unauthorized(failure);
    }

    private static String check(String secret, String payload, Map<String, List<String>> headers) {
        try {
            new Webhook(secret).verify(payload, headers);
            return null;
        } catch (WebhookVerificationException e) {
            String m = e.getMessage();
            if (m != null && m.contains("timestamp too old")) {
                return "webhook-timestamp is more than 5 minutes old";
            }
            if (m != null && m.contains("timestamp too new")) {
                return "webhook-timestamp is more than 5 minutes in the future";
            }
            if (m != null && m.contains("Invalid Signature Headers")) {
                return "webhook-timestamp must be Unix seconds";
            }
            return "the signature is not valid for this partner";
        } catch (EmptyWebhookSecretException | RuntimeException e) {
            LOG.warnf("partner secret unusable: %s", e.getClass().getSimpleName());
            return "the signature is not valid for this partner";
        }
    }

    private Uni<Answer> process(SqlClient c, Partner partner, String webhookId, String payload) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        PartnerMapping mapping;
        try {
            mapping = mapper.readValue(partner.mapping, PartnerMapping.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        JsonNode root;
        try {
            root = mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            root = null;
        }
        if (root == null || root.isMissingNode() || !(root.isObject() || root.isArray())) {
            return store(c, partner, webhookId, problem(Problem.of(400, "Malformed request body",
                    "the body is not a JSON object or array")), 0, 0, 0, now);
        }
        List<JsonNode> items = items(root, mapping);
        if (items.isEmpty()) {
            return store(c, partner, webhookId, problem(Problem.invalid(List.of(new Problem.FieldError(
                    mapping.items() != null ? mapping.items() : "/", "holds no lead")))), 0, 0, 0, now);
        }
        if (items.size() > MAX_BATCH) {
            return store(c, partner, webhookId, problem(Problem.invalid(List.of(new Problem.FieldError(
                    mapping.items() != null ? mapping.items() : "/", "holds " + items.size() + " leads; at most "
                            + MAX_BATCH + " per post")))), 0, 0, 0, now);
        }
        // every lead of the post checked first, then one look-up of the known e-mails, one insert, one outbox insert
        Set<String> seen = new HashSet<>();
        List<LeadIntake.Checked> checked = new ArrayList<>(items.size());
        List<String> emails = new ArrayList<>();
        for (JsonNode node : items) {
            LeadIntake.Checked one = intake.check(raw(mapping, node), "webhook", partner.id, partner.channel, partner.campaign, now);
            checked.add(one);
            if (one.valid()) {
                emails.add(one.lead().email.toLowerCase(Locale.ROOT));
            }
        }
        return leads.findByEmails(c, emails)
                .chain(known -> {
                    Set<String> existing = new HashSet<>();
                    known.forEach(l -> existing.add(l.email.toLowerCase(Locale.ROOT)));
                    List<Item> list = new ArrayList<>(items.size());
                    List<Lead> fresh = new ArrayList<>();
                    for (int i = 0; i < checked.size(); i++) {
                        LeadIntake.Checked one = checked.get(i);
                        if (!one.valid()) {
                            list.add(new Item(i, "rejected", null, one.errors()));
                        } else if (!seen.add(one.lead().email) || existing.contains(one.lead().email.toLowerCase(Locale.ROOT))) {
                            list.add(new Item(i, "duplicate", null, null));
                        } else {
                            fresh.add(one.lead());
                            list.add(new Item(i, "accepted", one.lead().id, null));
                        }
                    }
                    return leads.insertAll(c, fresh)
                            .chain(() -> outbox.addAll(c, fresh.stream().map(events::capturedEvent).toList()))
                            .replaceWith(list);
                })
                .chain(list -> {
                    int accepted = (int) list.stream().filter(r -> r.status().equals("accepted")).count();
                    int duplicate = (int) list.stream().filter(r -> r.status().equals("duplicate")).count();
                    int rejected = list.size() - accepted - duplicate;
                    String body = json(new Result(webhookId, partner.id, accepted, duplicate, rejected, list));
                    return store(c, partner, webhookId, new Answer(200, body), accepted, duplicate, rejected, now);
                });
    }

    /** The partner's JSON of one lead, read through the mapping's pointers. */
    static LeadIntake.Raw raw(PartnerMapping mapping, JsonNode node) {
        Map<String, String> values = new LinkedHashMap<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        if (!node.isObject()) {
            errors.add(new Problem.FieldError("/", "a lead must be a JSON object"));
            return new LeadIntake.Raw(values, Map.of(), List.of(), errors);
        }
        mapping.fields().forEach((field, pointer) -> {
            JsonNode value = node.at(pointer);
            if (value.isValueNode() && !value.isNull()) {
                values.put(field, value.asText());
            } else if (value.isContainerNode()) {
                errors.add(new Problem.FieldError(field, "must be a text value (found an object or array at " + pointer + ")"));
            }
        });
        Map<String, Object> extra = new LinkedHashMap<>();
        if (mapping.extra() != null) {
            mapping.extra().forEach((name, pointer) -> {
                JsonNode value = node.at(pointer);
                if (!value.isMissingNode() && !value.isNull()) {
                    extra.put(name, value);
                }
            });
        }
        List<SubmissionRequest.ConsentGrant> consents = new ArrayList<>();
        if (mapping.consents() != null) {
            for (PartnerMapping.ConsentSource source : mapping.consents()) {
                JsonNode value = node.at(source.pointer());
                if (value.isMissingNode() || value.isNull()) {
                    continue;
                }
                try {
                    Boolean granted = value.isBoolean() ? Boolean.valueOf(value.booleanValue())
                            : value.isValueNode() ? LeadIntake.consentValue(value.asText()) : null;
                    if (granted != null) {
                        consents.add(new SubmissionRequest.ConsentGrant(source.purpose(), granted, source.textVersion()));
                    } else if (!value.isValueNode()) {
                        errors.add(new Problem.FieldError("consents." + source.purpose(), "must be yes/no"));
                    }
                } catch (IllegalArgumentException e) {
                    errors.add(new Problem.FieldError("consents." + source.purpose(), e.getMessage()));
                }
            }
        }
        return new LeadIntake.Raw(values, extra, consents, errors);
    }

    private static List<JsonNode> items(JsonNode root, PartnerMapping mapping) {
        JsonNode batch = mapping.items() != null ? root.at(mapping.items()) : root;
        List<JsonNode> list = new ArrayList<>();
        if (batch.isArray()) {
            batch.forEach(list::add);
        } else if (mapping.items() != null && batch.isMissingNode() && root.isObject()) {
            list.add(root);
        } else if (batch.isObject()) {
            list.add(batch);
        }
        return list;
    }

    private Uni<Answer> store(SqlClient c, Partner partner, String webhookId, Answer answer, int accepted, int duplicate, int rejected,
                              Instant now) {
        PartnerDelivery delivery = new PartnerDelivery();
        delivery.id = UUID.randomUUID();
        delivery.partnerId = partner.id;
        delivery.webhookId = webhookId;
        delivery.status = answer.status();
        delivery.body = answer.body();
        delivery.accepted = accepted;
        delivery.duplicates = duplicate;
        delivery.rejected = rejected;
        delivery.receivedAt = now;
        return deliveries.insert(c, delivery).replaceWith(answer);
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Answer unauthorized(String detail) {
        return problem(Problem.of(401, "Unauthorized", detail));
    }

    private static Answer problem(Problem problem) {
        return new Answer(problem.status(), problem.toJson());
    }

    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t.getClass().getSimpleName().equals("ConstraintViolationException") || m.contains("23505")
                    || m.contains("duplicate key")) {
                return true;
            }
        }
        return false;
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
