package io.leadplatform.capture.domain;

import com.fasterxml.jackson.core.type.TypeReference;
import io.leadplatform.common.persistence.JsonTextConverter;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An audited merge of two leads: who, when, why, both leads as they were, and what moved (so it can be undone). */
@Entity
@Table(name = "lead_merge")
public class LeadMerge extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "survivor_id", nullable = false)
    public UUID survivorId;

    @Column(name = "merged_id", nullable = false)
    public UUID mergedId;

    @Column(nullable = false)
    public String reason;

    @Column(name = "merged_by", nullable = false)
    public String mergedBy;

    @Column(name = "merged_at", nullable = false)
    public Instant mergedAt;

    /** The survivor before the merge; null once either lead was erased (no personal data kept). */
    @Convert(converter = SnapshotConverter.class)
    @Column(name = "survivor_snapshot")
    public LeadSnapshot survivorSnapshot;

    @Convert(converter = SnapshotConverter.class)
    @Column(name = "merged_snapshot")
    public LeadSnapshot mergedSnapshot;

    @Convert(converter = IdListConverter.class)
    @Column(name = "moved_activity_ids", nullable = false)
    public List<UUID> movedActivityIds = new ArrayList<>();

    @Convert(converter = StringListConverter.class)
    @Column(name = "moved_visitor_ids", nullable = false)
    public List<String> movedVisitorIds = new ArrayList<>();

    @Column(name = "undone_at")
    public Instant undoneAt;

    @Column(name = "undone_by")
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

    public static class SnapshotConverter extends JsonTextConverter<LeadSnapshot> {
        public SnapshotConverter() {
            super(new TypeReference<>() {
            });
        }
    }

    public static class IdListConverter extends JsonTextConverter<List<UUID>> {
        public IdListConverter() {
            super(new TypeReference<>() {
            });
        }
    }

    public static class StringListConverter extends JsonTextConverter<List<String>> {
        public StringListConverter() {
            super(new TypeReference<>() {
            });
        }
    }
}
