package io.leadplatform.capture.messaging;

import io.leadplatform.common.outbox.Outbox;
import io.leadplatform.common.outbox.OutboxEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/**
 * Adds events to the outbox on the connection of the caller's transaction (platform-common's {@link Outbox}),
 * so an event exists exactly when the state change it describes committed; the relay publishes it.
 */
@ApplicationScoped
public class TransactionOutbox {

    private final Outbox outbox;

    public TransactionOutbox(Outbox outbox) {
        this.outbox = outbox;
    }

    /** The row of an event, built but not written: {@link Outbox#prepare}. */
    public OutboxEvent prepare(String type, UUID leadId, Object data) {
        return outbox.prepare(type, leadId, data);
    }

    /** Adds an event of the given type about a lead to the transaction of {@code c}; answers its event id. */
    public Uni<UUID> add(SqlClient c, String type, UUID leadId, Object data) {
        return add(c, outbox.prepare(type, leadId, data));
    }

    /** Adds a prepared event to the transaction of {@code c}; answers its event id. */
    public Uni<UUID> add(SqlClient c, OutboxEvent row) {
        return addAll(c, List.of(row)).replaceWith(row.id);
    }

    /** Adds prepared events with one statement, in list order. */
    public Uni<Void> addAll(SqlClient c, List<OutboxEvent> rows) {
        return outbox.insertAll(c, rows).invoke(() -> {
            if (!rows.isEmpty()) {
                outbox.committed();
            }
        });
    }
}
