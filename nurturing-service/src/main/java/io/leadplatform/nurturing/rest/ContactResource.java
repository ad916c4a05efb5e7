package io.leadplatform.nurturing.rest;

import io.leadplatform.nurturing.domain.Contact;
import io.leadplatform.nurturing.domain.Mail;
import io.leadplatform.nurturing.service.ContactService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A nurturing contact: may this lead be sent marketing e-mail, and what was sent to it? */
@Path("/api/nurturing/contacts/{leadId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "contacts")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed({"marketing", "admin"})
public class ContactResource {

    private final ContactService contacts;

    public ContactResource(ContactService contacts) {
        this.contacts = contacts;
    }

    @GET
    @Operation(operationId = "getContact", summary = "A lead's nurturing contact: consent, suppression, zone, stage")
    @APIResponse(responseCode = "200", description = "The contact")
    @APIResponse(responseCode = "404", description = "Unknown lead", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing or admin")
    public Uni<ContactView> get(@PathParam("leadId") UUID leadId) {
        return contacts.get(leadId).map(ContactView::of);
    }

    @GET
    @Path("/emails")
    @Operation(operationId = "getContactEmails", summary = "The e-mails of a lead: state (queued, sent, bounced, suppressed, unknown), sequence step, template")
    @APIResponse(responseCode = "200", description = "The e-mails, oldest first")
    public Uni<List<EmailView>> emails(@PathParam("leadId") UUID leadId) {
        return contacts.mails(leadId).map(l -> l.stream().map(EmailView::of).toList());
    }

    public record ContactView(UUID leadId, boolean marketingConsent, String channel, String status, String timeZone, String country,
                              String stage, String grade, String temperature, Instant unsubscribedAt, String suppressed,
                              boolean erased, String marketingBlock, Instant updatedAt) {
        static ContactView of(Contact c) {
            return new ContactView(c.leadId(), c.marketingConsent(), c.channel(), c.status(), c.timeZone(), c.country(), c.stage(),
                    c.grade(), c.temperature(), c.unsubscribedAt(), c.suppressed(), c.erasedAt() != null, c.marketingBlock(), c.updatedAt());
        }
    }

    public record EmailView(UUID id, String kind, String state, boolean transactional, UUID sequenceId, Integer sequenceVersion,
                            String stepId, String templateId, String messageId, int attempts, Instant dueAt, Instant sentAt) {
        static EmailView of(Mail m) {
            return new EmailView(m.id(), m.kind(), m.state(), m.transactional(), m.sequenceId(), m.sequenceVersion(), m.stepId(),
                    m.templateId(), m.messageId(), m.attempts(), m.dueAt(), m.sentAt());
        }
    }
}
