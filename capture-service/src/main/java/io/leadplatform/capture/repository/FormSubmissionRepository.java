package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.FormSubmission;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** The form_submission and spam_submission tables on the reactive client. */
@ApplicationScoped
public class FormSubmissionRepository {

    private static final String COLUMNS = "id, form_id, lead_id, visitor_id, payload::text as payload, received_at";

    public Uni<Void> insert(SqlClient c, FormSubmission s) {
        return c.preparedQuery("""
                        insert into form_submission (id, form_id, lead_id, visitor_id, payload, received_at)
                        values ($1, $2, $3, $4, $5::text::jsonb, $6)""")
                .execute(Sql.params(s.id, s.formId, s.leadId, s.visitorId, JsonText.write(s.payload), Sql.at(s.receivedAt)))
                .replaceWithVoid();
    }

    /** A lead's submissions, newest first, at most {@code limit} (all when limit is 0). */
    public Uni<List<FormSubmission>> ofLead(SqlClient c, UUID leadId, int limit) {
        return Sql.list(c, "select " + COLUMNS + " from form_submission where lead_id = $1 order by received_at desc"
                        + (limit > 0 ? " limit " + limit : ""), Tuple.of(leadId), FormSubmissionRepository::submission);
    }

    /** Erasure: the lead's submissions keep no payload and no visitor id. */
    public Uni<Void> erase(SqlClient c, UUID leadId) {
        return c.preparedQuery("update form_submission set payload = '{}'::jsonb, visitor_id = null where lead_id = $1")
                .execute(Tuple.of(leadId)).replaceWithVoid();
    }

    /** Accepted submissions of a form in [from, to). */
    public Uni<Long> count(SqlClient c, UUID formId, Instant from, Instant to) {
        return Sql.one(c, "select count(*) from form_submission where form_id = $1 and received_at >= $2 and received_at < $3",
                Tuple.of(formId, Sql.at(from), Sql.at(to)), r -> r.getLong(0));
    }

    /** Spam of a form in [from, to) by reason, reasons in order. */
    public Uni<Map<String, Long>> spamByReason(SqlClient c, UUID formId, Instant from, Instant to) {
        return c.preparedQuery("""
                        select reason, count(*) from spam_submission
                        where form_id = $1 and received_at >= $2 and received_at < $3 group by reason""")
                .execute(Tuple.of(formId, Sql.at(from), Sql.at(to)))
                .map(rows -> {
                    Map<String, Long> byReason = new TreeMap<>();
                    for (Row r : rows) {
                        byReason.put(r.getString(0), r.getLong(1));
                    }
                    return byReason;
                });
    }

    private static FormSubmission submission(Row r) {
        FormSubmission s = new FormSubmission();
        s.id = r.getUUID("id");
        s.formId = r.getUUID("form_id");
        s.leadId = r.getUUID("lead_id");
        s.visitorId = r.getString("visitor_id");
        s.payload = JsonText.object(r.getString("payload"));
        s.receivedAt = Sql.instant(r, "received_at");
        return s;
    }
}
