package io.leadplatform.kpi.service;

import io.leadplatform.common.events.IncomingEvent;
import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.kpi.repository.LeadCountRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Use cases: count captured leads; report them per channel and day. */
@ApplicationScoped
public class KpiService {

    static final int MAX_DAYS = 366;

    private final LeadCountRepository counts;

    public KpiService(LeadCountRepository counts) {
        this.counts = counts;
    }

    /** lead.captured: one more lead for its channel on the day it was captured (UTC). */
    public Uni<Void> onLeadCaptured(IncomingEvent event) {
        String channel = event.data().path("channel").asText("unknown");
        Instant capturedAt = event.data().hasNonNull("capturedAt") ? Instant.parse(event.data().get("capturedAt").asText()) : event.time();
        return counts.increment(LocalDate.ofInstant(capturedAt, ZoneOffset.UTC), channel);
    }

    @WithSession
    public Uni<List<LeadCountRepository.DailyCount>> leadsPerChannel(LocalDate from, LocalDate to, String channel) {
        if (to.isBefore(from)) {
            throw ProblemException.invalid("to", "must not be before from");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw ProblemException.invalid("to", "the period may span at most " + MAX_DAYS + " days");
        }
        return counts.between(from, to, channel);
    }
}
