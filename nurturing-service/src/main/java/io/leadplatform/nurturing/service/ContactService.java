package io.leadplatform.nurturing.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadplatform.common.events.IncomingEvent;
import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.nurturing.domain.Contact;
import io.leadplatform.nurturing.repository.ContactRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** Use cases: keep nurturing contacts in step with capture-service; read them. */
@ApplicationScoped
public class ContactService {

    /** Consent purposes that allow marketing e-mail. */
    static final Set<String> MARKETING_PURPOSES = Set.of("newsletter", "marketing_email", "marketing-email");

    private final ContactRepository contacts;

    public ContactService(ContactRepository contacts) {
        this.contacts = contacts;
    }

    /** lead.captured / lead.updated: upsert the contact and its marketing consent. */
    public Uni<Void> onProfile(IncomingEvent event) {
        JsonNode data = event.data();
        return contacts.findById(event.subject()).chain(existing -> {
            Contact c = existing != null ? existing : new Contact();
            c.leadId = event.subject();
            c.email = data.path("email").asText();
            c.firstName = data.hasNonNull("firstName") ? data.get("firstName").asText() : null;
            c.channel = data.path("channel").asText(null);
            c.marketingConsent = hasMarketingConsent(data.path("consents"));
            c.updatedAt = Instant.now();
            return existing != null ? Uni.createFrom().voidItem() : contacts.persist(c).replaceWithVoid();
        });
    }

    /** lead.erased: forget the contact. */
    public Uni<Void> onErased(IncomingEvent event) {
        return contacts.deleteById(event.subject()).replaceWithVoid();
    }

    static boolean hasMarketingConsent(JsonNode consents) {
        for (JsonNode consent : consents) {
            if (MARKETING_PURPOSES.contains(consent.path("purpose").asText()) && consent.path("granted").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    @WithSession
    public Uni<Contact> get(UUID leadId) {
        return contacts.findById(leadId).onItem().ifNull().failWith(() -> ProblemException.notFound("no contact for lead " + leadId));
    }
}
