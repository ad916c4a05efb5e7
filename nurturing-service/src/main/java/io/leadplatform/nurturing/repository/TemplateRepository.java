package io.leadplatform.nurturing.repository;

import io.leadplatform.nurturing.domain.EmailTemplate;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.leadplatform.nurturing.repository.ContactRepository.instant;

@ApplicationScoped
public class TemplateRepository {

    private static final String COLUMNS = "id, name, subject, html, text_body, transactional, updated_at, updated_by";

    /** Inserts or replaces; answers true when it was new. */
    public Uni<Boolean> save(SqlClient c, EmailTemplate t) {
        return c.preparedQuery("""
                        insert into email_template (id, name, subject, html, text_body, transactional, updated_at, updated_by)
                        values ($1, $2, $3, $4, $5, $6, now(), $7)
                        on conflict (id) do update set name = excluded.name, subject = excluded.subject, html = excluded.html,
                            text_body = excluded.text_body, transactional = excluded.transactional, updated_at = now(),
                            updated_by = excluded.updated_by
                        returning (xmax = 0) as inserted""")
                .execute(Tuple.from(Arrays.asList(t.id(), t.name(), t.subject(), t.html(), t.text(), t.transactional(), t.updatedBy())))
                .map(rows -> rows.iterator().next().getBoolean("inserted"));
    }

    public Uni<EmailTemplate> find(SqlClient c, String id) {
        return c.preparedQuery("select " + COLUMNS + " from email_template where id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : of(rows.iterator().next()));
    }

    public Uni<Map<String, EmailTemplate>> findAll(SqlClient c, String[] ids) {
        return c.preparedQuery("select " + COLUMNS + " from email_template where id = any($1)").execute(Tuple.of(ids))
                .map(rows -> {
                    Map<String, EmailTemplate> out = new HashMap<>();
                    rows.forEach(r -> out.put(r.getString("id"), of(r)));
                    return out;
                });
    }

    public Uni<List<EmailTemplate>> list(SqlClient c) {
        return c.query("select " + COLUMNS + " from email_template order by id").execute().map(rows -> {
            List<EmailTemplate> out = new ArrayList<>();
            rows.forEach(r -> out.add(of(r)));
            return out;
        });
    }

    public Uni<Set<String>> ids(SqlClient c) {
        return c.query("select id from email_template").execute().map(rows -> {
            Set<String> out = new HashSet<>();
            rows.forEach(r -> out.add(r.getString("id")));
            return out;
        });
    }

    static EmailTemplate of(Row r) {
        return new EmailTemplate(r.getString("id"), r.getString("name"), r.getString("subject"), r.getString("html"),
                r.getString("text_body"), r.getBoolean("transactional"), instant(r, "updated_at"), r.getString("updated_by"));
    }
}
