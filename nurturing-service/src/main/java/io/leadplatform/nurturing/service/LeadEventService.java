package io.leadplatform.nurturing.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.nurturing.config.NurturingConfig;
import io.leadplatform.nurturing.domain.Mail;
import io.leadplatform.nurturing.repository.ContactRepository;
import io.leadplatform.nurturing.repository.ContactRepository.Profile;
import io.leadplatform.nurturing.repository.MailRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What nurturing does with the events of capture and scoring (in the consumer's transaction): keep contacts,
 * stages and visits, start and end enrollments, queue the double opt-in confirmation, forget erased leads.
 */
@ApplicationScoped
public class LeadEventService {

    /** Consent purposes that allow marketing e-mail. */
    static final Set<String> MARKETING_PURPOSES = Set.of("newsletter", "marketing_email", "marketing-email");

    private final ContactRepository contacts;
    private final MailRepository mails;
    private final EnrollmentService enrollment;
    private final MailDispatcher dispatcher;
    private final NurturingConfig config;
    private final ObjectMapper mapper;

    public LeadEventService(ContactRepository contacts, MailRepository mails, EnrollmentService enrollment, MailDispatcher dispatcher,
                            NurturingConfig config, ObjectMapper mapper) {
        this.contacts = contacts;
        this.mails = mails;
        this.enrollment = enrollment;
        this.dispatcher = dispatcher;
        this.config = config;
        this.mapper = mapper;
    }

    /**
     * lead.captured / lead.updated: upserts the contact. A captured lead from a form (or an updated one whose double
     * opt-in was just confirmed) enters the sequences triggered by that form. A contact that had a stage but no address
     * yet (the stage change was consumed first) enters the sequences triggered by that stage now. Answers how many
     * enrollments began.
     */
    public Uni<Integer> onProfile(SqlClient c, UUID leadId, JsonNode data, boolean captured) {
        String status = data.path("status").asText("active");
        Profile p = new Profile(leadId, data.path("email").asText(), text(data, "firstName"), text(data, "lastName"),
                text(data, "company"), text(data, "country"), text(data, "timeZone"), status, text(data, "sourceRef"),
                text(data, "channel"), marketingConsent(data.path("consents")));
        return contacts.find(c, leadId).chain(before -> contacts.upsertProfile(c, p).chain(() -> {
            boolean fromForm = "form".equals(data.path("source").asText()) && p.sourceRef() != null;
            boolean justConfirmed = before != null && "unconfirmed".equals(before.status()) && "confirmed".equals(status);
            boolean enters = fromForm && ((captured && !"unconfirmed".equals(status)) || justConfirmed);
            Uni<Integer> form = enters ? enrollment.onForm(c, leadId, p.sourceRef()) : Uni.createFrom().item(0);
            // the stage arrived first (another topic): its triggers skipped the lead for want of an address, so they run now
            boolean stageWithoutAddress = before != null && before.email() == null && before.stage() != null && before.erasedAt() == null;
            return stageWithoutAddress
                    ? form.chain(n -> enrollment.onFirstAddress(c, leadId, before.stage()).map(m -> n + m))
                    : form;
        }));
    }

    /** lead.stage-changed: the stage is recorded, exits and stage triggers follow. */
    public Uni<Integer> onStageChanged(SqlClient c, UUID leadId, String to) {
        return contacts.updateScoring(c, leadId, to, null, null).chain(() -> enrollment.onStageChanged(c, leadId, to));
    }

    /** lead.scored: grade and temperature for branches. */
    public Uni<Void> onScored(SqlClient c, UUID leadId, String grade, String temperature) {
        return contacts.updateScoring(c, leadId, null, grade, temperature);
    }

    /** lead.activity page view: remembered for branches, and goals on a visit are checked. */
    public Uni<Void> onPageView(SqlClient c, UUID eventId, UUID leadId, String url, Instant at) {
        return contacts.addVisit(c, eventId, leadId, url, at).chain(() -> enrollment.onVisit(c, leadId, url));
    }

    /** lead.erased: the contact loses its personal data, enrollments end, nothing queued goes out. */
    public Uni<Void> onErased(SqlClient c, UUID leadId) {
        return contacts.erase(c, leadId)
                .chain(() -> enrollment.exitAll(c, leadId, "erased"))
                .chain(() -> mails.suppressQueued(c, leadId, true, "erased"))
                .replaceWithVoid();
    }

    /** lead.optin-requested: the confirmation mail, transactional, queued for now (no caps, no windows). */
    public Uni<Void> onOptinRequested(SqlClient c, UUID leadId, JsonNode data) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("confirmUrl", data.path("confirmUrl").asText());
        variables.put("expiresAt", data.path("expiresAt").asText());
        variables.put("formKey", data.path("formKey").asText());
        String json;
        try {
            json = mapper.writeValueAsString(variables);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Mail mail = Mail.queued(leadId, null, null, null, null, null, config.optinTemplate(), true, Mail.OPTIN, null, json,
                Instant.now(), dispatcher.messageDomain());
        return mails.queue(c, List.of(mail)).replaceWithVoid();
    }

    static boolean marketingConsent(JsonNode consents) {
        for (JsonNode consent : consents) {
            if (MARKETING_PURPOSES.contains(consent.path("purpose").asText()) && consent.path("granted").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    private static String text(JsonNode data, String field) {
        return data.hasNonNull(field) ? data.get(field).asText() : null;
    }
}
