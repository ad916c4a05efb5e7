package io.leadplatform.capture.service;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.capture.domain.Partner;
import io.leadplatform.capture.domain.PartnerMapping;
import io.leadplatform.capture.repository.PartnerDeliveryRepository;
import io.leadplatform.capture.repository.PartnerRepository;
import io.leadplatform.capture.rest.PartnerRequest;
import io.leadplatform.capture.rest.PartnerView;
import io.leadplatform.common.rest.Problem;
import io.leadplatform.common.rest.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Use cases of partner registration: create, update, rotate the secret, read, report. */
@ApplicationScoped
public class PartnerService {

    /** After a rotation the old secret keeps working this long, so a partner can switch without losing posts. */
    public static final Duration ROTATION_GRACE = Duration.ofHours(24);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final PartnerRepository partners;
    private final PartnerDeliveryRepository deliveries;
    private final ObjectMapper mapper;
    private final Pool pool;

    public PartnerService(PartnerRepository partners, PartnerDeliveryRepository deliveries, ObjectMapper mapper, Pool pool) {
        this.pool = pool;
        this.partners = partners;
        this.deliveries = deliveries;
        this.mapper = mapper;
    }

    public Uni<PartnerView> create(PartnerRequest request) {
        if (request.id() == null) {
            throw ProblemException.invalid("id", "is required");
        }
        PartnerMapping mapping = checkMapping(request.mapping());
        return pool.withTransaction(c -> partners.findById(c, request.id()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().failure(ProblemException.conflict("a partner '" + request.id() + "' exists already"));
            }
            Instant now = now();
            Partner partner = new Partner();
            partner.id = request.id();
            apply(partner, request, mapping);
            partner.secret = newSecret();
            partner.createdAt = now;
            partner.updatedAt = now;
            return partners.insert(c, partner).map(p -> view(p, p.secret));
        }));
    }

    public Uni<PartnerView> update(String id, PartnerRequest request) {
        PartnerMapping mapping = checkMapping(request.mapping());
        return pool.withTransaction(c -> find(c, id).chain(partner -> {
            apply(partner, request, mapping);
            partner.updatedAt = now();
            return partners.update(c, partner);
        })).map(partner -> view(partner, null));
    }

    /** A new secret; the old one stays valid for {@link #ROTATION_GRACE}. */
    public Uni<PartnerView> rotateSecret(String id) {
        return pool.withTransaction(c -> find(c, id).chain(partner -> {
            Instant now = now();
            partner.previousSecret = partner.secret;
            partner.previousSecretExpiresAt = now.plus(ROTATION_GRACE);
            partner.secret = newSecret();
            partner.updatedAt = now;
            return partners.update(c, partner);
        })).map(partner -> view(partner, partner.secret));
    }

    public Uni<PartnerView> get(String id) {
        return find(pool, id).map(p -> view(p, null));
    }

    public Uni<List<PartnerView>> list() {
        return partners.listAll(pool).map(list -> list.stream().map(p -> view(p, null)).toList());
    }

    public Uni<PartnerView.Report> report(String id, Instant from, Instant to) {
        Instant start = from != null ? from : Instant.EPOCH;
        Instant end = to != null ? to : now().plusSeconds(1);
        return find(pool, id).chain(p -> deliveries.totals(pool, id, start, end))
                .map(t -> new PartnerView.Report(id, start, end, t[3], t[0], t[1], t[2]));
    }

    private Uni<Partner> find(SqlClient c, String id) {
        return partners.findById(c, id).onItem().ifNull().failWith(() -> ProblemException.notFound("no partner '" + id + "'"));
    }

    private void apply(Partner partner, PartnerRequest request, PartnerMapping mapping) {
        partner.name = request.name().strip();
        partner.channel = request.channel().strip();
        partner.campaign = request.campaign();
        partner.active = request.active() == null || request.active();
        try {
            partner.mapping = mapper.writeValueAsString(mapping);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every mapped field must be a lead field and every pointer a JSON pointer; email must be mapped. */
    static PartnerMapping checkMapping(PartnerRequest.Mapping m) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (m.items() != null && !m.items().isEmpty()) {
            pointer("mapping.items", m.items(), errors);
        }
        if (!m.fields().containsKey("email")) {
            errors.add(new Problem.FieldError("mapping.fields.email", "is required: the lead's e-mail must be mapped"));
        }
        m.fields().forEach((field, ptr) -> {
            if (!LeadIntake.FIELDS.contains(field)) {
                errors.add(new Problem.FieldError("mapping.fields." + field, "is not a lead field; use one of "
                        + LeadIntake.FIELDS.stream().sorted().toList() + " or map it under 'extra'"));
            }
            pointer("mapping.fields." + field, ptr, errors);
        });
        Map<String, String> extra = m.extra() != null ? new LinkedHashMap<>(m.extra()) : Map.of();
        extra.forEach((name, ptr) -> pointer("mapping.extra." + name, ptr, errors));
        List<PartnerMapping.ConsentSource> consents = new ArrayList<>();
        if (m.consents() != null) {
            for (int i = 0; i < m.consents().size(); i++) {
                PartnerRequest.Consent c = m.consents().get(i);
                pointer("mapping.consents[" + i + "].pointer", c.pointer(), errors);
                consents.add(new PartnerMapping.ConsentSource(c.purpose(), c.pointer(), c.textVersion()));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalid(errors));
        }
        String items = m.items() == null || m.items().isEmpty() ? null : m.items();
        return new PartnerMapping(items, new LinkedHashMap<>(m.fields()), extra, consents);
    }

    private static void pointer(String field, String value, List<Problem.FieldError> errors) {
        try {
            JsonPointer.compile(value);
        } catch (IllegalArgumentException e) {
            errors.add(new Problem.FieldError(field, "must be a JSON pointer (RFC 6901) such as /contact/email"));
        }
    }

    PartnerView view(Partner p, String secret) {
        PartnerMapping mapping;
        try {
            mapping = mapper.readValue(p.mapping, PartnerMapping.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Instant graceUntil = p.previousSecretExpiresAt != null && p.previousSecretExpiresAt.isAfter(Instant.now())
                ? p.previousSecretExpiresAt : null;
        return new PartnerView(p.id, p.name, p.channel, p.campaign, p.active, mapping,
                "/api/capture/webhooks/" + p.id, p.createdAt, p.updatedAt, graceUntil, secret);
    }

    static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
