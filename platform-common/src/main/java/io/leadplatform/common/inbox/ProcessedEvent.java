package io.leadplatform.common.inbox;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** An event a consumer has processed (the inbox), keyed by consumer and event id. */
@Entity
@Table(name = "processed_event")
public class ProcessedEvent extends PanacheEntityBase {

    @EmbeddedId
    public Key key;

    @Column(name = "processed_at", nullable = false)
    public Instant processedAt;

    static ProcessedEvent of(String consumer, UUID eventId) {
        ProcessedEvent e = new ProcessedEvent();
        e.key = new Key(consumer, eventId);
        e.processedAt = Instant.now();
        return e;
    }

    @Embeddable
    public static class Key implements Serializable {
        @Column(name = "consumer")
        public String consumer;
        @Column(name = "event_id")
        public UUID eventId;

        public Key() {
        }

        public Key(String consumer, UUID eventId) {
            this.consumer = consumer;
            this.eventId = eventId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && java.util.Objects.equals(consumer, k.consumer) && java.util.Objects.equals(eventId, k.eventId);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(consumer, eventId);
        }
    }
}
