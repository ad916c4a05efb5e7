package io.leadplatform.nurturing.repository;

import io.leadplatform.nurturing.domain.Contact;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The contact table on the reactive client, inside the caller's transaction. */
@ApplicationScoped
public class ContactRepository {

    static final String COLUMNS = """
            lead_id, email, first_name, last_name, company, country, time_zone, status, source_ref, channel, marketing_consent,
            stage, grade, temperature, unsubscribed_at, suppressed, erased_at, updated_at""";

    /** The profile fields capture-service sends in lead.captured / lead.updated. */
    public record Profile(UUID leadId, String email, String firstName, String lastName, String company, String country,
                          String timeZone, String status, String sourceRef, String channel, boolean marketingConsent) {
    }

    public Uni<Void> upsertProfile(SqlClient c, Profile p) {
        return c.preparedQuery("""
                        insert into contact (lead_id, email, first_name, last_name, company, country, time_zone, status, source_ref,
                                             channel, marketing_consent, updated_at)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
                        on conflict (lead_id) do update set email = excluded.email, first_name = excluded.first_name,
                            last_name = excluded.last_name, company = excluded.company, country = excluded.country,
                            time_zone = coalesce(excluded.time_zone, contact.time_zone), status = excluded.status,
                            source_ref = coalesce(contact.source_ref, excluded.source_ref), channel = excluded.channel,
                            marketing_consent = excluded.marketing_consent, updated_at = now()
                        where contact.erased_at is null""")
                .execute(Tuple.from(java.util.Arrays.asList(p.leadId(), p.email(), p.firstName(), p.lastName(), p.company(),
                        p.country(), p.timeZone(), p.status(), p.sourceRef(), p.channel(), p.marketingConsent())))
                .replaceWithVoid();
    }

    /** Stage, grade or temperature from scoring-service (nulls keep what is known); creates a bare row if needed. */
    public Uni<Void> updateScoring(SqlClient c, UUID leadId, String stage, String grade, String temperature) {
        return c.preparedQuery("""
                        insert into contact (lead_id, marketing_consent, stage, grade, temperature, updated_at)
                        values ($1, false, $2, $3, $4, now())
                        on conflict (lead_id) do update set stage = coalesce($2, contact.stage), grade = coalesce($3, contact.grade),
                            temperature = coalesce($4, contact.temperature), updated_at = now()""")
                .execute(Tuple.of(leadId, stage, grade, temperature)).replaceWithVoid();
    }

    public Uni<Boolean> unsubscribe(SqlClient c, UUID leadId) {
        return c.preparedQuery("update contact set unsubscribed_at = now(), updated_at = now() where lead_id = $1 and unsubscribed_at is null")
                .execute(Tuple.of(leadId)).map(r -> r.rowCount() > 0);
    }

    public Uni<Void> suppress(SqlClient c, UUID leadId, String why) {
        return c.preparedQuery("update contact set suppressed = $2, suppressed_at = now(), updated_at = now() where lead_id = $1 and suppressed is null")
                .execute(Tuple.of(leadId, why)).replaceWithVoid();
    }

    /** GDPR erasure: the row stays (so late events cannot recreate the lead) without any personal data. */
    public Uni<Void> erase(SqlClient c, UUID leadId) {
        return c.preparedQuery("""
                        insert into contact (lead_id, marketing_consent, erased_at, updated_at) values ($1, false, now(), now())
                        on conflict (lead_id) do update set email = null, first_name = null, last_name = null, company = null,
                            time_zone = null, marketing_consent = false, erased_at = now(), updated_at = now()""")
                .execute(Tuple.of(leadId))
                .chain(() -> c.preparedQuery("delete from lead_visit where lead_id = $1").execute(Tuple.of(leadId)))
                .chain(() -> c.preparedQuery("update email_message set to_address = null, variables = null where lead_id = $1").execute(Tuple.of(leadId)))
                .replaceWithVoid();
    }

    public Uni<Contact> find(SqlClient c, UUID leadId) {
        return c.preparedQuery("select " + COLUMNS + " from contact where lead_id = $1").execute(Tuple.of(leadId))
                .map(rows -> rows.size() == 0 ? null : of(rows.iterator().next()));
    }

    /** Locks the contacts (in lead order, so concurrent claimers cannot deadlock) and answers them by lead. */
    public Uni<Map<UUID, Contact>> lock(SqlClient c, UUID[] leads) {
        return byLead(c, leads, " order by lead_id for update");
    }

    public Uni<Map<UUID, Contact>> findAll(SqlClient c, UUID[] leads) {
        return byLead(c, leads, "");
    }

    private Uni<Map<UUID, Contact>> byLead(SqlClient c, UUID[] leads, String suffix) {
        return c.preparedQuery("select " + COLUMNS + " from contact where lead_id = any($1)" + suffix)
                .execute(Tuple.of(leads)).map(rows -> {
                    Map<UUID, Contact> out = new HashMap<>();
                    rows.forEach(r -> out.put(r.getUUID("lead_id"), of(r)));
                    return out;
                });
    }

    public Uni<Void> addVisit(SqlClient c, UUID eventId, UUID leadId, String url, Instant at) {
        return c.preparedQuery("insert into lead_visit (event_id, lead_id, url, visited_at) values ($1, $2, $3, $4) on conflict do nothing")
                .execute(Tuple.of(eventId, leadId, url, at.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    /** URLs each lead visited since the given time. */
    public Uni<Map<UUID, List<String>>> visits(SqlClient c, UUID[] leads, Instant since) {
        return c.preparedQuery("select lead_id, url from lead_visit where lead_id = any($1) and visited_at >= $2 order by visited_at")
                .execute(Tuple.of(leads, since.atOffset(ZoneOffset.UTC))).map(rows -> {
                    Map<UUID, List<String>> out = new HashMap<>();
                    rows.forEach(r -> out.computeIfAbsent(r.getUUID("lead_id"), k -> new ArrayList<>()).add(r.getString("url")));
                    return out;
                });
    }

    static Contact of(Row r) {
        return new Contact(r.getUUID("lead_id"), r.getString("email"), r.getString("first_name"), r.getString("last_name"),
                r.getString("company"), r.getString("country"), r.getString("time_zone"), r.getString("status"),
                r.getString("source_ref"), r.getString("channel"), r.getBoolean("marketing_consent"), r.getString("stage"),
                r.getString("grade"), r.getString("temperature"), instant(r, "unsubscribed_at"), r.getString("suppressed"),
                instant(r, "erased_at"), instant(r, "updated_at"));
    }

    public static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    public static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
