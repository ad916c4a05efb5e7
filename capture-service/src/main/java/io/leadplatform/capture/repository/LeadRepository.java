package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.Lead;
import io.leadplatform.common.persistence.Columns;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** The lead table on the reactive client (in the caller's transaction when given one). */
@ApplicationScoped
public class LeadRepository {

    private static final String COLUMNS = """
            id, email, first_name, last_name, company, job_title, phone, country, time_zone, source, source_ref, channel,
            campaign, utm::text as utm, fields::text as fields, consents, created_at, status, confirmed_at, disposable_email,
            updated_at, merged_into, erased_at""";

    /** Many leads with one statement (unnest); a known e-mail fails it (unique lower(email)), rolling back the caller. */
    static final String INSERT_ALL = """
            insert into lead (id, email, first_name, last_name, company, job_title, phone, country, source, source_ref,
                              channel, campaign, utm, fields, consents, created_at, updated_at, status, disposable_email,
                              time_zone)
            select id, email, first_name, last_name, company, job_title, phone, country, source, source_ref,
                   channel, campaign, utm::jsonb, fields::jsonb, consents, created_at, updated_at, status, disposable_email,
                   time_zone
            from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                        $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
                        $16::timestamptz[], $17::timestamptz[], $18::text[], $19::boolean[], $20::text[])
                 as t(id, email, first_name, last_name, company, job_title, phone, country, source, source_ref,
                      channel, campaign, utm, fields, consents, created_at, updated_at, status, disposable_email, time_zone)""";

    private static final String UPDATE = """
            update lead set email = $2, first_name = $3, last_name = $4, company = $5, job_title = $6, phone = $7,
                country = $8, time_zone = $9, source = $10, source_ref = $11, channel = $12, campaign = $13,
                utm = $14::text::jsonb, fields = $15::text::jsonb, consents = $16, status = $17, confirmed_at = $18,
                disposable_email = $19, updated_at = $20, merged_into = $21, erased_at = $22
            where id = $1""";

    public Uni<Lead> findById(SqlClient c, UUID id) {
        return Sql.one(c, "select " + COLUMNS + " from lead where id = $1", Tuple.of(id), LeadRepository::lead);
    }

    public Uni<Lead> findByEmail(SqlClient c, String email) {
        return Sql.one(c, "select " + COLUMNS + " from lead where lower(email) = lower($1) limit 1", Tuple.of(email),
                LeadRepository::lead);
    }

    /** The leads among the given (lower-case) e-mails that already exist, from any source. */
    public Uni<List<Lead>> findByEmails(SqlClient c, Collection<String> lowerCaseEmails) {
        if (lowerCaseEmails.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Sql.list(c, "select " + COLUMNS + " from lead where lower(email) = any($1)",
                Tuple.of(lowerCaseEmails.toArray(String[]::new)), LeadRepository::lead);
    }

    /** Leads matching the filters, newest first, after the cursor (created_at, id) of the last page. */
    public Uni<List<Lead>> search(SqlClient c, LeadFilter filter, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        List<Object> params = new ArrayList<>();
        if (filter.email() != null) {
            params.add(filter.email());
            where.append(" and lower(email) = lower($").append(params.size()).append(')');
        }
        if (filter.channel() != null) {
            params.add(filter.channel());
            where.append(" and channel = $").append(params.size());
        }
        if (filter.source() != null) {
            params.add(filter.source());
            where.append(" and source = $").append(params.size());
        }
        if (filter.campaign() != null) {
            params.add(filter.campaign());
            where.append(" and campaign = $").append(params.size());
        }
        if (filter.from() != null) {
            params.add(Sql.at(filter.from()));
            where.append(" and created_at >= $").append(params.size());
        }
        if (filter.to() != null) {
            params.add(Sql.at(filter.to()));
            where.append(" and created_at < $").append(params.size());
        }
        if (filter.afterCreatedAt() != null) {
            params.add(Sql.at(filter.afterCreatedAt()));
            int at = params.size();
            params.add(filter.afterId());
            where.append(" and (created_at < $").append(at).append(" or (created_at = $").append(at)
                    .append(" and id < $").append(at + 1).append("))");
        }
        params.add(limit);
        return Sql.list(c, "select " + COLUMNS + " from lead where " + where + " order by created_at desc, id desc limit $"
                + params.size(), Tuple.from(params), LeadRepository::lead);
    }

    public Uni<Void> insert(SqlClient c, Lead lead) {
        return insertAll(c, List.of(lead));
    }

    public Uni<Void> insertAll(SqlClient c, List<Lead> leads) {
        if (leads.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return c.preparedQuery(INSERT_ALL)
                .execute(columns(leads, l -> l, l -> JsonText.write(l.utm), l -> JsonText.write(l.fields),
                        l -> JsonText.consents(l.consents)))
                .replaceWithVoid();
    }

    /** The parameters of {@link #INSERT_ALL}: the leads of the rows, with their JSON columns already written. */
    static <T> Tuple columns(List<T> rows, Function<T, Lead> lead, Function<T, String> utm, Function<T, String> fields,
                             Function<T, String> consents) {
        return Columns.of(rows).uuid(r -> lead.apply(r).id).text(r -> lead.apply(r).email).text(r -> lead.apply(r).firstName)
                .text(r -> lead.apply(r).lastName).text(r -> lead.apply(r).company).text(r -> lead.apply(r).jobTitle)
                .text(r -> lead.apply(r).phone).text(r -> lead.apply(r).country).text(r -> lead.apply(r).source)
                .text(r -> lead.apply(r).sourceRef).text(r -> lead.apply(r).channel).text(r -> lead.apply(r).campaign)
                .text(utm).text(fields).text(consents).time(r -> lead.apply(r).createdAt).time(r -> lead.apply(r).updatedAt)
                .text(r -> lead.apply(r).status).bool(r -> lead.apply(r).disposableEmail).text(r -> lead.apply(r).timeZone)
                .tuple();
    }

    /** Writes every changeable column of the lead (what the service changed in memory). */
    public Uni<Void> update(SqlClient c, Lead l) {
        return c.preparedQuery(UPDATE)
                .execute(Sql.params(l.id, l.email, l.firstName, l.lastName, l.company, l.jobTitle, l.phone, l.country,
                        l.timeZone, l.source, l.sourceRef, l.channel, l.campaign, JsonText.write(l.utm), JsonText.write(l.fields),
                        JsonText.consents(l.consents), l.status, Sql.at(l.confirmedAt), l.disposableEmail, Sql.at(l.updatedAt),
                        l.mergedInto, Sql.at(l.erasedAt)))
                .replaceWithVoid();
    }

    static Lead lead(Row r) {
        Lead l = new Lead();
        l.id = r.getUUID("id");
        l.email = r.getString("email");
        l.firstName = r.getString("first_name");
        l.lastName = r.getString("last_name");
        l.company = r.getString("company");
        l.jobTitle = r.getString("job_title");
        l.phone = r.getString("phone");
        l.country = r.getString("country");
        l.timeZone = r.getString("time_zone");
        l.source = r.getString("source");
        l.sourceRef = r.getString("source_ref");
        l.channel = r.getString("channel");
        l.campaign = r.getString("campaign");
        String utm = r.getString("utm");
        l.utm = utm == null ? new LinkedHashMap<>() : JsonText.read(utm, JsonText.TEXT_MAP);
        l.fields = JsonText.object(r.getString("fields"));
        l.consents = new ArrayList<>(JsonText.read(r.getString("consents"), JsonText.CONSENTS));
        l.createdAt = Sql.instant(r, "created_at");
        l.status = r.getString("status");
        l.confirmedAt = Sql.instant(r, "confirmed_at");
        l.disposableEmail = r.getBoolean("disposable_email");
        l.updatedAt = Sql.instant(r, "updated_at");
        l.mergedInto = r.getUUID("merged_into");
        l.erasedAt = Sql.instant(r, "erased_at");
        return l;
    }

    public record LeadFilter(String email, String channel, String source, String campaign, Instant from, Instant to,
                             Instant afterCreatedAt, UUID afterId) {
    }
}
