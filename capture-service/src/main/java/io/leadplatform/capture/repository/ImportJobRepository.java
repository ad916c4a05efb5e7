package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.ImportJob;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The import_job table on the reactive client. */
@ApplicationScoped
public class ImportJobRepository {

    private static final String COLUMNS = """
            id, list_name, channel, campaign, file_name, mapping, state, rows_total, rows_read, accepted, duplicates, errors,
            detail, created_by, created_at, started_at, finished_at, owner, heartbeat_at""";

    public Uni<Void> insert(SqlClient c, ImportJob j) {
        return c.preparedQuery("insert into import_job (" + COLUMNS + """
                        ) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)""")
                .execute(Sql.params(j.id, j.listName, j.channel, j.campaign, j.fileName, j.mapping, j.state, j.rowsTotal,
                        j.rowsRead, j.accepted, j.duplicates, j.errors, j.detail, j.createdBy, Sql.at(j.createdAt),
                        Sql.at(j.startedAt), Sql.at(j.finishedAt), j.owner, Sql.at(j.heartbeatAt)))
                .replaceWithVoid();
    }

    public Uni<ImportJob> findById(SqlClient c, UUID id) {
        return Sql.one(c, "select " + COLUMNS + " from import_job where id = $1", Tuple.of(id), ImportJobRepository::job);
    }

    /** Marks the job running (started now unless it started before) if {@code owner} owns it; answers the job as it is then. */
    public Uni<ImportJob> start(SqlClient c, UUID id, String owner, Instant now) {
        return Sql.one(c, """
                update import_job set state = case when owner = $2 then $3 else state end,
                    started_at = case when owner = $2 then coalesce(started_at, $4) else started_at end
                where id = $1 returning\s""" + COLUMNS, Tuple.of(id, owner, ImportJob.RUNNING, Sql.at(now)),
                ImportJobRepository::job);
    }

    /** Ends the job (state, detail, finished now) if {@code owner} still owns it. */
    public Uni<Integer> finish(SqlClient c, UUID id, String owner, String state, String detail, Instant now) {
        return Sql.update(c, "update import_job set state = $3, detail = $4, finished_at = $5 where id = $1 and owner = $2",
                Sql.params(id, owner, state, detail, Sql.at(now)));
    }

    /**
     * Adds one batch's counts to the job (in the batch's transaction, so progress equals what committed), if
     * {@code owner} still owns it. Answers the rows updated: 0 when another instance claimed the job.
     */
    public Uni<Integer> addProgress(SqlClient c, UUID jobId, String owner, long read, long accepted, long duplicates, long errors) {
        return Sql.update(c, """
                update import_job set rows_read = rows_read + $1, accepted = accepted + $2, duplicates = duplicates + $3,
                    errors = errors + $4, heartbeat_at = $7
                where id = $5 and owner = $6""",
                Tuple.from(List.of(read, accepted, duplicates, errors, jobId, owner, Sql.at(Instant.now()))));
    }

    /** Refreshes the heartbeat of the unfinished jobs {@code owner} runs or queued. */
    public Uni<Integer> heartbeat(SqlClient c, String owner) {
        return Sql.update(c, "update import_job set heartbeat_at = $1 where owner = $2 and state in ($3, $4)",
                Tuple.of(Sql.at(Instant.now()), owner, ImportJob.QUEUED, ImportJob.RUNNING));
    }

    /** Unfinished jobs of other owners whose heartbeat is older than {@code staleBefore} (their instance stopped). */
    public Uni<List<ImportJob>> orphans(SqlClient c, String self, Instant staleBefore) {
        return Sql.list(c, "select " + COLUMNS + """
                 from import_job
                where state in ($1, $2) and (owner is null or owner <> $3) and (heartbeat_at is null or heartbeat_at < $4)
                order by created_at""", Tuple.of(ImportJob.QUEUED, ImportJob.RUNNING, self, Sql.at(staleBefore)),
                ImportJobRepository::job);
    }

    /** Takes an orphaned job over; answers 1 if this call got it (0 if another instance was faster or its owner is alive). */
    public Uni<Integer> claim(SqlClient c, UUID jobId, String owner, Instant staleBefore) {
        return Sql.update(c, """
                update import_job set owner = $1, heartbeat_at = $2
                where id = $3 and state in ($4, $5) and (heartbeat_at is null or heartbeat_at < $6)""",
                Tuple.from(List.of(owner, Sql.at(Instant.now()), jobId, ImportJob.QUEUED, ImportJob.RUNNING, Sql.at(staleBefore))));
    }

    private static ImportJob job(Row r) {
        ImportJob j = new ImportJob();
        j.id = r.getUUID("id");
        j.listName = r.getString("list_name");
        j.channel = r.getString("channel");
        j.campaign = r.getString("campaign");
        j.fileName = r.getString("file_name");
        j.mapping = r.getString("mapping");
        j.state = r.getString("state");
        j.rowsTotal = r.getLong("rows_total");
        j.rowsRead = r.getLong("rows_read");
        j.accepted = r.getLong("accepted");
        j.duplicates = r.getLong("duplicates");
        j.errors = r.getLong("errors");
        j.detail = r.getString("detail");
        j.createdBy = r.getString("created_by");
        j.createdAt = Sql.instant(r, "created_at");
        j.startedAt = Sql.instant(r, "started_at");
        j.finishedAt = Sql.instant(r, "finished_at");
        j.owner = r.getString("owner");
        j.heartbeatAt = Sql.instant(r, "heartbeat_at");
        return j;
    }
}
