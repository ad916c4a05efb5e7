package io.leadplatform.capture.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;

/** A batch of website events the tracker posts (JSON, also sent as text/plain by navigator.sendBeacon). */
public record TrackBatch(@NotNull @Size(min = 1, max = 100) List<@NotNull @Valid TrackEvent> events) {

    /** One tracked event of a visitor. */
    public record TrackEvent(
            @NotNull @Pattern(regexp = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
                    message = "must be a UUID") String visitorId,
            @NotNull @Pattern(regexp = "page_view|download|webinar|configurator|chat",
                    message = "must be one of page_view, download, webinar, configurator, chat") String type,
            @Size(max = 2048) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String url,
            @Size(max = 500) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String asset,
            @Min(0) @Max(86_400) Integer durationSeconds,
            Instant occurredAt) {
    }
}
