package io.leadplatform.nurturing.repository.webhook;

import io.leadplatform.nurturing.domain.webhook.ClaimedDelivery;
import io.leadplatform.nurturing.domain.webhook.WebhookAttempt;
import io.leadplatform.nurturing.domain.webhook.WebhookDelivery;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import static io.leadplatform.nurturing.repository.webhook.WebhookSubscriptionRepository.instant;
import static io.leadplatform.nurturing.repository.webhook.WebhookSubscriptionRepository.time;

/** webhook_delivery and webhook_attempt rows: the delivery queue and its log. */
@ApplicationScoped
public class WebhookDeliveryRepository {

    private static final String COLUMNS = """
            id, subscription_id, event_id, event_type, lead_id, payload, status, attempts, total_attempts, replays,
            next_attempt_at, last_status_code, last_error, created_at, delivered_at, dead_at""";

    /**
     * One delivery per active subscription that wants the type, due at once. A redelivered event finds
     * its rows there already (unique subscription + event) and adds none.
     */
    private static final String ENQUEUE = """
            insert into webhook_delivery (id, subscription_id, event_id, event_type, lead_id, payload, status,
                                          next_attempt_at, created_at)
            select gen_random_uuid(), s.id, $1, $2, $3, $4, 'pending', $5, $5
            from webhook_subscription s
            where s.active and $2 = any (s.event_types)
            on conflict (subscription_id, event_id) do nothing""";

    /**
     * Due deliveries of active subscriptions, oldest first, locked so that other replicas skip them; the
     * claim moves their due time to the end of the lease, so a replica that dies before recording an
     * outcome leaves them due again then (and its late outcome no longer matches the lease token).
     */
    private static final String CLAIM = """
            with due as (
                select d.id from webhook_delivery d join webhook_subscription s on s.id = d.subscription_id
                where d.status = 'pending' and d.next_attempt_at <= now() and s.active
                order by d.next_attempt_at
                limit $1
                for update of d skip locked)
            update webhook_delivery d set lease_token = $2, next_attempt_at = now() + make_interval(secs => $3)
            from due, webhook_subscription s
            where d.id = due.id and s.id = d.subscription_id
            returning d.id, d.event_type, d.payload, d.attempts, s.url, s.secret""";

    private static final String OUTCOME = """
            update webhook_delivery set status = $3::text, attempts = attempts + 1, total_attempts = total_attempts + 1,
                   lease_token = null, last_status_code = $4::int, last_error = $5::text, next_attempt_at = $6::timestamptz,
                   delivered_at = case when $3::text = 'succeeded' then $7::timestamptz end,
                   dead_at = case when $3::text = 'dead' then $7::timestamptz end
            where id = $1 and lease_token = $2""";

    private static final String ATTEMPT = """
            insert into webhook_attempt (delivery_id, attempted_at, status_code, latency_ms, response_excerpt, error, succeeded)
            values ($1, $2, $3, $4, $5, $6, $7)""";

    private static final String REPLAY = """
            update webhook_delivery set status = 'pending', attempts = 0, replays = replays + 1, next_attempt_at = $2,
                   lease_token = null, dead_at = null
            where subscription_id = $1""";

    private final Pool pool;

    public WebhookDeliveryRepository(Pool pool) {
        this.pool = pool;
    }

    /** Queues the event for every active subscription that wants its type; answers how many deliveries were added. */
    public Uni<Integer> enqueue(UUID eventId, String type, UUID leadId, String payload, Instant now) {
        return pool.preparedQuery(ENQUEUE).execute(Tuple.from(Arrays.asList(eventId, type, leadId, payload, time(now))))
                .map(RowSet::rowCount);
    }

    /** Adds one delivery already claimed under {@code leaseToken} (the test event, sent right away by the caller). */
    public Uni<Void> insertClaimed(UUID id, UUID subscriptionId, String type, String payload, UUID leaseToken, Instant now,
                                   Duration lease) {
        return pool.preparedQuery("""
                        insert into webhook_delivery (id, subscription_id, event_id, event_type, payload, status,
                                                      next_attempt_at, lease_token, created_at)
                        values ($1, $2, $1, $3, $4, 'pending', $5, $6, $7)""")
                .execute(Tuple.from(Arrays.asList(id, subscriptionId, type, payload, time(now.plus(lease)), leaseToken, time(now))))
                .replaceWithVoid();
    }

    /** Claims up to {@code limit} due deliveries for {@code lease}. */
    public Uni<List<ClaimedDelivery>> claim(int limit, Duration lease) {
        UUID token = UUID.randomUUID();
        return pool.preparedQuery(CLAIM).execute(Tuple.of(limit, token, lease.toMillis() / 1000.0))
                .map(rows -> {
                    List<ClaimedDelivery> claimed = new ArrayList<>(rows.size());
                    rows.forEach(r -> claimed.add(new ClaimedDelivery(r.getUUID("id"), token, r.getString("event_type"),
                            r.getString("payload"), r.getInteger("attempts"), r.getString("url"), r.getString("secret"))));
                    return claimed;
                });
    }

    /**
     * Logs the attempt and moves the delivery on (succeeded, pending until {@code nextAttemptAt}, or dead)
     * in one transaction. The move only applies while the claim's lease token still holds; answers whether it did.
     */
    public Uni<Boolean> recordOutcome(ClaimedDelivery claimed, WebhookAttempt attempt, WebhookDelivery.Status status,
                                      Instant nextAttemptAt) {
        return pool.withTransaction(conn -> conn.preparedQuery(ATTEMPT)
                .execute(Tuple.from(Arrays.asList(claimed.id(), time(attempt.attemptedAt()), attempt.statusCode(),
                        attempt.latencyMs(), attempt.responseExcerpt(), attempt.error(), attempt.succeeded())))
                .chain(() -> conn.preparedQuery(OUTCOME).execute(Tuple.from(Arrays.asList(claimed.id(), claimed.leaseToken(),
                        status.db(), attempt.statusCode(), attempt.error(), time(nextAttemptAt), time(attempt.attemptedAt())))))
                .map(rows -> rows.rowCount() == 1));
    }

    public Uni<WebhookDelivery> find(UUID subscriptionId, UUID deliveryId) {
        return pool.preparedQuery("select " + COLUMNS + " from webhook_delivery where subscription_id = $1 and id = $2")
                .execute(Tuple.of(subscriptionId, deliveryId))
                .map(rows -> rows.size() == 0 ? null : of(rows.iterator().next()));
    }

    /** The log of a subscription, newest first; {@code status} and {@code before} (created before) are optional. */
    public Uni<List<WebhookDelivery>> list(UUID subscriptionId, WebhookDelivery.Status status, Instant before, int limit) {
        return pool.preparedQuery("select " + COLUMNS + """
                         from webhook_delivery
                        where subscription_id = $1 and ($2::text is null or status = $2)
                          and ($3::timestamptz is null or created_at < $3)
                        order by created_at desc, id limit $4""")
                .execute(Tuple.from(Arrays.asList(subscriptionId, status == null ? null : status.db(), time(before), limit)))
                .map(rows -> all(rows, WebhookDeliveryRepository::of));
    }

    public Uni<List<WebhookAttempt>> attempts(UUID deliveryId) {
        return pool.preparedQuery("""
                        select attempted_at, status_code, latency_ms, response_excerpt, error, succeeded
                        from webhook_attempt where delivery_id = $1 order by attempted_at, id""")
                .execute(Tuple.of(deliveryId))
                .map(rows -> all(rows, r -> new WebhookAttempt(instant(r.getOffsetDateTime("attempted_at")),
                        r.getInteger("status_code"), r.getInteger("latency_ms"), r.getString("response_excerpt"),
                        r.getString("error"), r.getBoolean("succeeded"))));
    }

    /** Makes one delivery due again with a fresh round of attempts; answers false when there is no such delivery. */
    public Uni<Boolean> replay(UUID subscriptionId, UUID deliveryId, Instant now) {
        return pool.preparedQuery(REPLAY + " and id = $3").execute(Tuple.of(subscriptionId, time(now), deliveryId))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Makes the deliveries created in [from, to) due again: the dead and pending ones, and the succeeded
     * ones too when asked. Answers how many.
     */
    public Uni<Integer> replayPeriod(UUID subscriptionId, Instant from, Instant to, boolean includeSucceeded, Instant now) {
        return pool.preparedQuery(REPLAY + " and created_at >= $3 and created_at < $4 and ($5 or status <> 'succeeded')")
                .execute(Tuple.from(Arrays.asList(subscriptionId, time(now), time(from), time(to), includeSucceeded)))
                .map(RowSet::rowCount);
    }

    /** Deletes succeeded deliveries older than the retention; answers how many. */
    public Uni<Integer> purgeSucceeded(Instant before) {
        return pool.preparedQuery("delete from webhook_delivery where status = 'succeeded' and delivered_at < $1")
                .execute(Tuple.of(time(before)))
                .map(RowSet::rowCount);
    }

    private static <T> List<T> all(RowSet<Row> rows, Function<Row, T> map) {
        List<T> list = new ArrayList<>(rows.size());
        rows.forEach(r -> list.add(map.apply(r)));
        return list;
    }

    static WebhookDelivery of(Row r) {
        return new WebhookDelivery(r.getUUID("id"), r.getUUID("subscription_id"), r.getUUID("event_id"), r.getString("event_type"),
                r.getUUID("lead_id"), r.getString("payload"), WebhookDelivery.Status.ofDb(r.getString("status")),
                r.getInteger("attempts"), r.getInteger("total_attempts"), r.getInteger("replays"),
                instant(r.getOffsetDateTime("next_attempt_at")), r.getInteger("last_status_code"), r.getString("last_error"),
                instant(r.getOffsetDateTime("created_at")), instant(r.getOffsetDateTime("delivered_at")),
                instant(r.getOffsetDateTime("dead_at")));
    }
}
