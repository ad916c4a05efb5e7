package io.leadplatform.nurturing.repository.webhook;

import io.leadplatform.nurturing.domain.webhook.WebhookSubscription;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** webhook_subscription rows. */
@ApplicationScoped
public class WebhookSubscriptionRepository {

    private static final String COLUMNS = "id, url, event_types, description, secret, active, created_at, updated_at";

    private final Pool pool;

    public WebhookSubscriptionRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(WebhookSubscription s) {
        return pool.preparedQuery("insert into webhook_subscription (" + COLUMNS + ") values ($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(Tuple.from(Arrays.asList(s.id(), s.url(), s.eventTypes().toArray(String[]::new), s.description(),
                        s.secret(), s.active(), time(s.createdAt()), time(s.updatedAt()))))
                .replaceWithVoid();
    }

    /** Updates what an admin may change; answers false when no such subscription exists. */
    public Uni<Boolean> update(WebhookSubscription s) {
        return pool.preparedQuery("""
                        update webhook_subscription set url = $2, event_types = $3, description = $4, active = $5, updated_at = $6
                        where id = $1""")
                .execute(Tuple.from(Arrays.asList(s.id(), s.url(), s.eventTypes().toArray(String[]::new), s.description(),
                        s.active(), time(s.updatedAt()))))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Boolean> rotateSecret(UUID id, String secret, Instant now) {
        return pool.preparedQuery("update webhook_subscription set secret = $2, updated_at = $3 where id = $1")
                .execute(Tuple.of(id, secret, time(now)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<WebhookSubscription> find(UUID id) {
        return pool.preparedQuery("select " + COLUMNS + " from webhook_subscription where id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : of(rows.iterator().next()));
    }

    public Uni<List<WebhookSubscription>> list() {
        return pool.query("select " + COLUMNS + " from webhook_subscription order by created_at, id").execute()
                .map(rows -> {
                    List<WebhookSubscription> list = new ArrayList<>();
                    rows.forEach(r -> list.add(of(r)));
                    return list;
                });
    }

    /** Deletes the subscription with its deliveries and their attempts; answers false when none existed. */
    public Uni<Boolean> delete(UUID id) {
        return pool.preparedQuery("delete from webhook_subscription where id = $1").execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 1);
    }

    static WebhookSubscription of(Row r) {
        return new WebhookSubscription(r.getUUID("id"), r.getString("url"), Arrays.asList(r.getArrayOfStrings("event_types")),
                r.getString("description"), r.getString("secret"), r.getBoolean("active"),
                instant(r.getOffsetDateTime("created_at")), instant(r.getOffsetDateTime("updated_at")));
    }

    static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
