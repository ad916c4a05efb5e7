package io.leadplatform.nurturing.rest;

import io.leadplatform.nurturing.domain.Contact;
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
import java.util.UUID;

/** A nurturing contact: may this lead be sent marketing e-mail? */
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
    @Operation(operationId = "getContact", summary = "A lead's nurturing contact and marketing consent")
    @APIResponse(responseCode = "200", description = "The contact")
    @APIResponse(responseCode = "404", description = "Unknown lead", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketing or admin")
    public Uni<ContactView> get(@PathParam("leadId") UUID leadId) {
        return contacts.get(leadId).map(ContactView::of);
    }

    public record ContactView(UUID leadId, boolean marketingConsent, String channel, Instant updatedAt) {
        static ContactView of(Contact c) {
            return new ContactView(c.leadId, c.marketingConsent, c.channel, c.updatedAt);
        }
    }
}
