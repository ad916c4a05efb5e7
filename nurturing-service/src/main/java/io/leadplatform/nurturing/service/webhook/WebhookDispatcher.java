package io.leadplatform.nurturing.service.webhook;

import io.leadplatform.nurturing.config.webhook.WebhooksConfig;
import io.leadplatform.nurturing.domain.webhook.ClaimedDelivery;
import io.leadplatform.nurturing.domain.webhook.RetrySchedule;
import io.leadplatform.nurturing.domain.webhook.WebhookAttempt;
import io.leadplatform.nurturing.domain.webhook.WebhookDelivery;
import io.leadplatform.nurturing.domain.webhook.WebhookEventType;
import io.leadplatform.nurturing.messaging.webhook.WebhookHttpSender;
import io.leadplatform.nurturing.repository.webhook.WebhookDeliveryRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends due deliveries. Each round claims a batch ({@code FOR UPDATE SKIP LOCKED}, so any number of
 * replicas share the queue, and a lease, so a replica that dies mid-batch leaves its claims due again
 * when the lease ends), POSTs them concurrently, and records each outcome: succeeded, retried later
 * (exponential backoff with jitter, {@link RetrySchedule}) or dead-lettered after the last attempt.
 * At least once: a replica that dies after the receiver answered but before the outcome was
 * recorded sends that delivery again after the lease (same webhook-id, so receivers dedupe).
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final java.time.Duration WAKE_FOR_RETRIES_WITHIN = java.time.Duration.ofSeconds(2);

    private final WebhookDeliveryRepository deliveries;
    private final WebhookHttpSender sender;
    private final WebhooksConfig config;
    private final RetrySchedule schedule;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    /** A wake-up came while a round ran: run again after it, so a delivery queued meanwhile does not wait for the poll. */
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean stopped;

    public WebhookDispatcher(WebhookDeliveryRepository deliveries, WebhookHttpSender sender, WebhooksConfig config, Vertx vertx,
                             MeterRegistry registry) {
        this.deliveries = deliveries;
        this.sender = sender;
        this.config = config;
        this.vertx = vertx;
        this.registry = registry;
        WebhooksConfig.Retry r = config.retry();
        this.schedule = new RetrySchedule(r.maxAttempts(), r.initialDelay(), r.multiplier(), r.maxDelay(), r.jitter());
    }

    public RetrySchedule schedule() {
        return schedule;
    }

    /** New or replayed deliveries: run a round shortly instead of waiting for the next poll. */
    public void wakeUpSoon() {
        if (!stopped && wakeScheduled.compareAndSet(false, true)) {
            vertx.setTimer(5, id -> {
                wakeScheduled.set(false);
                dispatchNow().subscribe().with(n -> { }, e -> LOG.warnf("webhook dispatch failed: %s", e.toString()));
            });
        }
    }

    @Scheduled(every = "${nurturing.webhooks.dispatch.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return dispatchNow().replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("webhook dispatch round failed: %s", e.toString());
                    return null;
                });
    }

    /** Rounds until no delivery is due; answers how many were attempted. One runs at a time per replica. */
    public Uni<Integer> dispatchNow() {
        if (stopped) {
            return Uni.createFrom().item(0);
        }
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return Uni.createFrom().item(0);
        }
        return drain(0).onTermination().invoke(() -> {
            running.set(false);
            if (again.getAndSet(false)) {
                wakeUpSoon();
            }
        });
    }

    private Uni<Integer> drain(int soFar) {
        int batch = config.dispatch().batchSize();
        return deliveries.claim(batch, config.dispatch().lease())
                .chain(claimed -> sendAll(claimed).replaceWith(claimed.size()))
                .chain(n -> n >= batch && !stopped ? drain(soFar + n) : Uni.createFrom().item(soFar + n));
    }

    /** Sends a claimed batch concurrently, then records every outcome in one transaction. */
    private Uni<Void> sendAll(List<ClaimedDelivery> claimed) {
        if (claimed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(claimed)
                .onItem().transformToUni(this::send).merge(Math.max(1, config.dispatch().concurrency()))
                .collect().asList()
                .chain(this::record);
    }

    /** One attempt of a claimed delivery, recorded at once (the test endpoint). */
    Uni<Void> attempt(ClaimedDelivery d) {
        return send(d).chain(outcome -> record(List.of(outcome)));
    }

    /** The attempt and what it leads to; never fails (a refused connection or a timeout is a failed attempt). */
    private Uni<WebhookDeliveryRepository.Outcome> send(ClaimedDelivery d) {
        return sender.send(d.url(), d.id().toString(), d.payload(), d.secret()).map(attempt -> outcome(d, attempt));
    }

    private WebhookDeliveryRepository.Outcome outcome(ClaimedDelivery d, WebhookAttempt attempt) {
        int failed = d.attempts() + 1;
        WebhookDelivery.Status status;
        Instant next = attempt.attemptedAt();
        if (attempt.succeeded()) {
            status = WebhookDelivery.Status.SUCCEEDED;
        } else if (WebhookEventType.TEST.type().equals(d.eventType()) || schedule.exhausted(failed)) {
            status = WebhookDelivery.Status.DEAD;
            LOG.infof("webhook delivery %s dead-lettered after %d attempts (%s)", d.id(), failed, attempt.error());
        } else {
            status = WebhookDelivery.Status.PENDING;
            java.time.Duration delay = schedule.delay(failed, ThreadLocalRandom.current());
            next = Instant.now().plus(delay);
            if (delay.compareTo(WAKE_FOR_RETRIES_WITHIN) < 0) {
                // due before the next poll would find it: wake up for it (the scheduler polls at most once a second)
                vertx.setTimer(Math.max(1, delay.toMillis() + 5), id -> wakeUpSoon());
            }
        }
        return new WebhookDeliveryRepository.Outcome(d, attempt, status, next);
    }

    /** Records the outcomes; a failure is logged and the leases free the deliveries (they are sent again). */
    private Uni<Void> record(List<WebhookDeliveryRepository.Outcome> outcomes) {
        for (WebhookDeliveryRepository.Outcome o : outcomes) {
            registry.counter("webhooks.attempts", "outcome", o.attempt().succeeded() ? "succeeded" : "failed").increment();
            if (o.status() == WebhookDelivery.Status.DEAD) {
                registry.counter("webhooks.dead.letters").increment();
            }
            registry.timer("webhooks.attempt.latency").record(java.time.Duration.ofMillis(o.attempt().latencyMs()));
        }
        return deliveries.recordOutcomes(outcomes)
                .invoke(applied -> {
                    if (applied < outcomes.size()) {
                        LOG.debugf("webhooks: %d of %d outcomes came after their lease ended", outcomes.size() - applied, outcomes.size());
                    }
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("webhooks: %d outcomes not recorded (%s); due again when their leases end", outcomes.size(), e.toString());
                    return 0;
                })
                .replaceWithVoid();
    }

    /** Succeeded deliveries leave the log after the retention. */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        return deliveries.purgeSucceeded(Instant.now().minus(config.retention())).replaceWithVoid()
                .onFailure().recoverWithItem(e -> null);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
    }
}
