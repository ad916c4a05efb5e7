package io.leadplatform.capture.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An audited merge of two leads: who, when, why, both leads as they were, and what moved (so it can be undone). */
public class LeadMerge {
    public UUID id;
    public UUID survivorId;
    public UUID mergedId;
    public String reason;
    public String mergedBy;
    public Instant mergedAt;

    /** The survivor before the merge; null once either lead was erased (no personal data kept). */
    public LeadSnapshot survivorSnapshot;
    public LeadSnapshot mergedSnapshot;
    public List<UUID> movedActivityIds = new ArrayList<>();
    public List<String> movedVisitorIds = new ArrayList<>();
    public Instant undoneAt;
    public String undoneBy;

    /** The restorable part of a lead: its profile, consents and the merge marker. */
    public record LeadSnapshot(String email, String firstName, String lastName, String company, String jobTitle,
                               String phone, String country, String campaign, Map<String, String> utm,
                               Map<String, Object> fields, List<Lead.Consent> consents, UUID mergedInto,
                               Instant updatedAt, String timeZone) {

        public static LeadSnapshot of(Lead l) {
            return new LeadSnapshot(l.email, l.firstName, l.lastName, l.company, l.jobTitle, l.phone, l.country,
                    l.campaign, new java.util.LinkedHashMap<>(l.utm), new java.util.LinkedHashMap<>(l.fields), List.copyOf(l.consents),
                    l.mergedInto, l.updatedAt, l.timeZone);
        }

        public void restoreInto(Lead l) {
            l.firstName = firstName;
            l.lastName = lastName;
            l.company = company;
            l.jobTitle = jobTitle;
            l.phone = phone;
            l.country = country;
            l.timeZone = timeZone;
            l.campaign = campaign;
            l.utm = new java.util.LinkedHashMap<>(utm);
            l.fields = new java.util.LinkedHashMap<>(fields);
            l.consents = new ArrayList<>(consents);
            l.mergedInto = mergedInto;
        }
    }
}
