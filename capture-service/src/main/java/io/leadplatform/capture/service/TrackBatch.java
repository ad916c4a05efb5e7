package io.leadplatform.capture.service;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * A batch of website events the tracker posts (JSON, also sent as text/plain by navigator.sendBeacon): the
 * tracking use case's command.
 */
public record TrackBatch(@NotNull @Size(min = 1, max = 100) List<@NotNull @Valid TrackEvent> events) {

    /** One tracked event of a visitor, with what the snippet knows about the visit (session, how it landed). */
    public record TrackEvent(
            @NotNull @Pattern(regexp = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
                    message = "must be a UUID") String visitorId,
            @NotNull @Pattern(regexp = "page_view|download|webinar|configurator|chat",
                    message = "must be one of page_view, download, webinar, configurator, chat") String type,
            @Size(max = 2048) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String url,
            @Size(max = 500) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String asset,
            @Min(0) @Max(86_400) Integer durationSeconds,
            Instant occurredAt,
            @Schema(description = "random id of the visit (the snippet starts a new one after 30 minutes without activity or "
                    + "on a new campaign); without it, a visitor's events of one UTC day form one session")
            @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9_-]*", message = "must be letters, digits, - or _") String sessionId,
            @Schema(description = "true on the first page view of a session") Boolean sessionStart,
            @Schema(description = "the session's landing referrer; only its host is kept")
            @Size(max = 2048) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String referrer,
            @Schema(description = "the session's landing UTM parameters") @Valid SubmissionRequest.Utm utm,
            @Schema(description = "name (never the value) of an ad click id in the landing URL")
            @Pattern(regexp = "gclid|gbraid|wbraid|dclid|msclkid|fbclid|ttclid|li_fat_id|twclid",
                    message = "must be one of gclid, gbraid, wbraid, dclid, msclkid, fbclid, ttclid, li_fat_id, twclid")
            String clickId) {
    }
}
