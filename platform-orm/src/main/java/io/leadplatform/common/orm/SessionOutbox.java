package io.leadplatform.common.orm;

import io.leadplatform.common.outbox.Outbox;
import io.leadplatform.common.outbox.OutboxEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * Adds events to the outbox inside the current Hibernate Reactive transaction (Panache.withTransaction /
 * {@code @WithTransaction}): the event row is persisted by the session that writes the state change, so it
 * commits (or rolls back) with it. Rows are built by {@link Outbox#prepare}; {@code OutboxRelay} publishes them.
 */
@ApplicationScoped
public class SessionOutbox {

    private final Outbox outbox;

    public SessionOutbox(Outbox outbox) {
        this.outbox = outbox;
    }

    /** The row of an event, built but not written: {@link Outbox#prepare}. */
    public OutboxEvent prepare(String type, UUID leadId, Object data) {
        return outbox.prepare(type, leadId, data);
    }

    /** Adds an event of the given type about a lead to the current transaction; answers its event id. */
    public Uni<UUID> add(String type, UUID leadId, Object data) {
        return add(outbox.prepare(type, leadId, data));
    }

    /** Adds a prepared event (see {@link Outbox#prepare}) to the current transaction; answers its event id. */
    public Uni<UUID> add(OutboxEvent row) {
        return OutboxRecord.of(row).persist().invoke(outbox::committed).replaceWith(row.id);
    }
}
