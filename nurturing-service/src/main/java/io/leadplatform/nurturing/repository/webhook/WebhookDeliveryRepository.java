package io.leadplatform.nurturing.repository.webhook;

import io.leadplatform.common.persistence.Columns;
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
     * One delivery per (event, active subscription that wants its type), due at once, for a whole batch
     * of events in one statement. A redelivered event finds its rows there already (unique subscription +
     * event) and adds none; so does the second copy of an event within the batch.
     */
    private static final String ENQUEUE = """
            insert into webhook_delivery (id, subscription_id, event_id, event_type, lead_id, payload, status,
                                          next_attempt_at, created_at)
            select gen_random_uuid(), s.id, e.event_id, e.event_type, e.lead_id, e.payload, 'pending', $5, $5
            from unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[]) as e(event_id, event_type, lead_id, payload)
            join webhook_subscription s on s.active and e.event_type = any (s.event_types)
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

    /** The outcomes of a batch: each applies only while its claim's lease token still holds. */
    private static final String OUTCOMES = """
            update webhook_delivery d set status = o.status, attempts = d.attempts + 1, total_attempts = d.total_attempts + 1,
                   lease_token = null, last_status_code = o.code, last_error = o.error, next_attempt_at = o.next,
                   delivered_at = case when o.status = 'succeeded' then o.at end,
                   dead_at = case when o.status = 'dead' then o.at end
            from unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::timestamptz[], $7::timestamptz[])
                 as o(id, token, status, code, error, next, at)
            where d.id = o.id and d.lease_token = o.token""";

    private static final String ATTEMPTS = """
            insert into webhook_attempt (delivery_id, attempted_at, status_code, latency_ms, response_excerpt, error, succeeded)
            select * from unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::int[], $5::text[], $6::text[], $7::bool[])""";

    private static final String REPLAY = """
            update webhook_delivery set status = 'pending', attempts = 0, replays = replays + 1, next_attempt_at = $2,
                   lease_token = null, dead_at = null
            where subscription_id = $1""";

    private final Pool pool;

    public WebhookDeliveryRepository(Pool pool) {
        this.pool = pool;
    }

    /** An event as the queue takes it: its id, webhook type, lead and the body to send. */
    public record QueuedEvent(UUID eventId, String type, UUID leadId, String payload) {
    }

    /** Queues the events for every active subscription that wants their type; answers how many deliveries were added. */
    public Uni<Integer> enqueue(List<QueuedEvent> events, Instant now) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.preparedQuery(ENQUEUE).execute(Columns.of(events).uuid(QueuedEvent::eventId).text(QueuedEvent::type)
                        .uuid(QueuedEvent::leadId).text(QueuedEvent::payload).tuple().addValue(time(now)))
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

    /** What one attempt of a claimed delivery led to: the status it moves to and, when pending, its next due time. */
    public record Outcome(ClaimedDelivery claimed, WebhookAttempt attempt, WebhookDelivery.Status status, Instant nextAttemptAt) {
    }

    /**
     * Logs the attempts of a batch and moves each delivery on (succeeded, pending until its next attempt,
     * or dead) in one transaction of two statements. A move applies only while the claim's lease token
     * still holds; answers how many did.
     */
    public Uni<Integer> recordOutcomes(List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.withTransaction(conn -> conn.preparedQuery(ATTEMPTS)
                .execute(Columns.of(outcomes).uuid(o -> o.claimed().id()).time(o -> o.attempt().attemptedAt())
                        .integer(o -> o.attempt().statusCode()).integer(o -> o.attempt().latencyMs())
                        .text(o -> o.attempt().responseExcerpt()).text(o -> o.attempt().error()).bool(o -> o.attempt().succeeded())
                        .tuple())
                .chain(() -> conn.preparedQuery(OUTCOMES).execute(Columns.of(outcomes).uuid(o -> o.claimed().id())
                        .uuid(o -> o.claimed().leaseToken()).text(o -> o.status().db()).integer(o -> o.attempt().statusCode())
                        .text(o -> o.attempt().error()).time(Outcome::nextAttemptAt).time(o -> o.attempt().attemptedAt())
                        .tuple()))
                .map(RowSet::rowCount));
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
