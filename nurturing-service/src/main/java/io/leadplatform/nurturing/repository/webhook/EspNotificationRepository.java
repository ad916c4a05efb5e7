package io.leadplatform.nurturing.repository.webhook;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

import static io.leadplatform.nurturing.repository.webhook.WebhookSubscriptionRepository.time;

/** esp_notification (inbound bounce and complaint notifications) and esp_suppression; statements run on the caller's connection. */
@ApplicationScoped
public class EspNotificationRepository {

    /** A notification as stored once per webhook-id. */
    public record Notification(String webhookId, String kind, String email, String bounceType, String reason, UUID leadId,
                               boolean suppressed, String answer, Instant receivedAt) {
    }

    /** Stores the notification unless its webhook-id is known; answers whether it was new. */
    public Uni<Boolean> insertIfNew(SqlClient conn, Notification n) {
        return conn.preparedQuery("""
                        insert into esp_notification (webhook_id, kind, email, bounce_type, reason, lead_id, suppressed, answer, received_at)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (webhook_id) do nothing""")
                .execute(Tuple.from(Arrays.asList(n.webhookId(), n.kind(), n.email(), n.bounceType(), n.reason(), n.leadId(),
                        n.suppressed(), n.answer(), time(n.receivedAt()))))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The answer given the first time this webhook-id came, or null. */
    public Uni<String> answerOf(SqlClient conn, String webhookId) {
        return conn.preparedQuery("select answer from esp_notification where webhook_id = $1").execute(Tuple.of(webhookId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("answer"));
    }

    /** The lead nurturing knows under this address (its contact), or null. */
    public Uni<UUID> leadOf(SqlClient conn, String email) {
        return conn.preparedQuery("select lead_id from contact where lower(email) = lower($1) order by updated_at desc limit 1")
                .execute(Tuple.of(email))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("lead_id"));
    }

    /** Of these addresses, the ones an ESP reported (lower case) with their reason: checked at send time. */
    public Uni<java.util.Map<String, String>> suppressed(SqlClient conn, String[] addresses) {
        return conn.preparedQuery("select email, reason from esp_suppression where email = any($1)")
                .execute(Tuple.of((Object) java.util.Arrays.stream(addresses).map(a -> a.toLowerCase(java.util.Locale.ROOT)).toArray(String[]::new)))
                .map(rows -> {
                    java.util.Map<String, String> out = new java.util.HashMap<>();
                    rows.forEach(r -> out.put(r.getString("email"), r.getString("reason")));
                    return out;
                });
    }

    /** Never mail this address again (the first reason stays). */
    public Uni<Void> suppress(SqlClient conn, String email, String reason, String detail, String webhookId, Instant now) {
        return conn.preparedQuery("""
                        insert into esp_suppression (email, reason, detail, webhook_id, created_at) values (lower($1), $2, $3, $4, $5)
                        on conflict (email) do nothing""")
                .execute(Tuple.from(Arrays.asList(email, reason, detail, webhookId, time(now))))
                .replaceWithVoid();
    }
}
