package io.leadplatform.capture.service;

import io.leadplatform.capture.domain.ConsentChange;
import io.leadplatform.capture.domain.Form;
import io.leadplatform.capture.domain.FormSubmission;
import io.leadplatform.capture.domain.Lead;
import io.leadplatform.capture.domain.LeadMerge;
import io.leadplatform.capture.domain.VisitorActivity;
import io.leadplatform.capture.domain.VisitorLink;
import io.leadplatform.capture.repository.ConsentChangeRepository;
import io.leadplatform.capture.repository.FormRepository;
import io.leadplatform.capture.repository.FormSubmissionRepository;
import io.leadplatform.capture.repository.LeadMergeRepository;
import io.leadplatform.capture.repository.LeadRepository;
import io.leadplatform.capture.repository.VisitorActivityRepository;
import io.leadplatform.capture.repository.VisitorLinkRepository;
import io.leadplatform.common.rest.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Use cases: a lead's timeline (marketing, sales) and everything held on it (GDPR export, admin). */
@ApplicationScoped
public class LeadHistoryService {

    private final LeadRepository leads;
    private final FormRepository forms;
    private final FormSubmissionRepository submissions;
    private final VisitorActivityRepository activities;
    private final VisitorLinkRepository links;
    private final ConsentChangeRepository consentChanges;
    private final LeadMergeRepository merges;
    private final Pool pool;

    public LeadHistoryService(LeadRepository leads, FormRepository forms, FormSubmissionRepository submissions,
                              VisitorActivityRepository activities, VisitorLinkRepository links,
                              ConsentChangeRepository consentChanges, LeadMergeRepository merges, Pool pool) {
        this.pool = pool;
        this.leads = leads;
        this.forms = forms;
        this.submissions = submissions;
        this.activities = activities;
        this.links = links;
        this.consentChanges = consentChanges;
        this.merges = merges;
    }

    /** Submissions, activities, consent changes and merges of a lead, newest first, at most {@code limit}. */
    public Uni<List<TimelineEntry>> timeline(UUID leadId, int limit) {
        return lead(leadId).chain(lead -> submissions.ofLead(pool, leadId, limit)
                .chain(subs -> formKeys(subs).chain(keys -> activities.ofLead(pool, leadId, limit)
                        .chain(acts -> consentChanges.ofLead(pool, leadId)
                                .chain(consents -> merges.involving(pool, leadId).map(ms -> {
                                    List<TimelineEntry> entries = new ArrayList<>();
                                    subs.forEach(s -> entries.add(submission(s, keys)));
                                    acts.forEach(a -> entries.add(activity(a)));
                                    consents.forEach(c -> entries.add(consent(c)));
                                    ms.forEach(m -> entries.add(merge(m)));
                                    return entries.stream()
                                            .sorted(Comparator.comparing(TimelineEntry::at).reversed())
                                            .limit(limit)
                                            .toList();
                                }))))));
    }

    /** Everything capture-service holds on the lead. */
    public Uni<Export> export(UUID leadId) {
        return lead(leadId).chain(lead -> submissions.ofLead(pool, leadId, 0)
                .chain(subs -> activities.ofLead(pool, leadId, 0)
                        .chain(acts -> consentChanges.ofLead(pool, leadId)
                                .chain(consents -> links.ofLead(pool, leadId)
                                        .chain(ls -> merges.involving(pool, leadId)
                                                .map(ms -> new Export(Instant.now(), lead, consents, subs, acts,
                                                        ls.stream().map(l -> l.visitorId).toList(), ms)))))));
    }

    private Uni<Lead> lead(UUID id) {
        return leads.findById(pool, id).onItem().ifNull().failWith(() -> ProblemException.notFound("no lead " + id));
    }

    private Uni<Map<UUID, String>> formKeys(List<FormSubmission> subs) {
        Set<UUID> ids = subs.stream().map(s -> s.formId).collect(Collectors.toSet());
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return forms.findByIds(pool, ids)
                .map(list -> list.stream().collect(Collectors.toMap(f -> f.id, (Function<Form, String>) f -> f.formKey)));
    }

    private static TimelineEntry submission(FormSubmission s, Map<UUID, String> formKeys) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("submissionId", s.id);
        d.put("formKey", formKeys.get(s.formId));
        d.put("visitorId", s.visitorId);
        return new TimelineEntry("submission", s.receivedAt, d);
    }

    private static TimelineEntry activity(VisitorActivity a) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("activityType", a.activityType);
        d.put("url", a.url);
        d.put("asset", a.asset);
        d.put("durationSeconds", a.durationSeconds);
        d.put("visitorId", a.visitorId);
        return new TimelineEntry("activity", a.occurredAt, d);
    }

    private static TimelineEntry consent(ConsentChange c) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("purpose", c.purpose);
        d.put("granted", c.granted);
        d.put("textVersion", c.textVersion);
        d.put("source", c.source);
        return new TimelineEntry("consent", c.recordedAt, d);
    }

    private static TimelineEntry merge(LeadMerge m) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mergeId", m.id);
        d.put("survivorId", m.survivorId);
        d.put("mergedId", m.mergedId);
        d.put("reason", m.reason);
        d.put("mergedBy", m.mergedBy);
        d.put("undoneAt", m.undoneAt);
        d.put("undoneBy", m.undoneBy);
        return new TimelineEntry("merge", m.mergedAt, d);
    }

    /** One thing that happened to a lead: kind is submission, activity, consent or merge. */
    public record TimelineEntry(String kind, Instant at, Map<String, Object> details) {
    }

    /** The GDPR export: every record capture-service holds on the lead. */
    public record Export(Instant exportedAt, Lead lead, List<ConsentChange> consentHistory,
                         List<FormSubmission> submissions, List<VisitorActivity> activities,
                         List<String> visitorIds, List<LeadMerge> merges) {
    }
}
