package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.ImportError;
import io.leadplatform.common.persistence.Columns;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** The import_error table (why rows of an import were not taken) on the reactive client. */
@ApplicationScoped
public class ImportErrorRepository {

    public Uni<Void> insertAll(SqlClient c, List<ImportError> errors) {
        if (errors.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return c.preparedQuery("""
                        insert into import_error (id, job_id, row_no, field, message)
                        select * from unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::text[])""")
                .execute(Columns.of(errors).uuid(e -> e.id).uuid(e -> e.jobId).bigint(e -> e.rowNo).text(e -> e.field)
                        .text(e -> e.message).tuple())
                .replaceWithVoid();
    }

    public Uni<List<ImportError>> ofJob(SqlClient c, UUID jobId) {
        return Sql.list(c, "select id, job_id, row_no, field, message from import_error where job_id = $1 order by row_no, field",
                Tuple.of(jobId), r -> {
                    ImportError e = new ImportError();
                    e.id = r.getUUID("id");
                    e.jobId = r.getUUID("job_id");
                    e.rowNo = r.getLong("row_no");
                    e.field = r.getString("field");
                    e.message = r.getString("message");
                    return e;
                });
    }

    public Uni<Long> count(SqlClient c, UUID jobId) {
        return Sql.one(c, "select count(*) from import_error where job_id = $1", Tuple.of(jobId), r -> r.getLong(0));
    }
}
