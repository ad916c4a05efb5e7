package io.leadplatform.nurturing.messaging.webhook;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;
import io.leadplatform.nurturing.config.webhook.WebhooksConfig;
import io.leadplatform.nurturing.domain.webhook.WebhookAttempt;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs one webhook, signed with Standard Webhooks (headers webhook-id, webhook-timestamp,
 * webhook-signature: HMAC-SHA256 over {@code id.timestamp.body} with the subscription's secret). Every
 * call has a deadline covering connect, send and the answer; redirects are not followed. Answers the
 * attempt (2xx = succeeded) and never fails: a refused connection or a timeout is a failed attempt.
 */
@ApplicationScoped
public class WebhookHttpSender {

    static final String USER_AGENT = "lead-platform-webhooks/1.0";

    private final Vertx vertx;
    private final HttpClient client;
    private final long timeoutMillis;

    public WebhookHttpSender(Vertx vertx, WebhooksConfig config) {
        this.vertx = vertx;
        this.timeoutMillis = config.http().timeout().toMillis();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                        .setConnectTimeout((int) config.http().connectTimeout().toMillis())
                        .setKeepAlive(true)
                        .setDecompressionSupported(true),
                new PoolOptions().setHttp1MaxSize(Math.max(1, config.dispatch().concurrency())));
    }

    /** Sends {@code payload} as delivery {@code webhookId} to {@code url}. */
    public Uni<WebhookAttempt> send(String url, String webhookId, String payload, String secret) {
        Instant started = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long t0 = System.nanoTime();
        String signature;
        long timestamp = started.getEpochSecond();
        try {
            signature = new Webhook(secret).sign(webhookId, timestamp, payload);
        } catch (WebhookSigningException | EmptyWebhookSecretException | RuntimeException e) {
            return Uni.createFrom().item(new WebhookAttempt(started, null, 0, null, "could not sign: " + e.getClass().getSimpleName(), false));
        }
        Promise<WebhookAttempt> outcome = Promise.promise();
        HttpClientRequest[] inFlight = new HttpClientRequest[1];
        long timer = vertx.setTimer(timeoutMillis, id -> {
            if (outcome.tryComplete(failed(started, t0, null, null, "timeout after " + timeoutMillis + " ms")) && inFlight[0] != null) {
                inFlight[0].reset(0, new TimeoutException());
            }
        });
        RequestOptions options;
        try {
            options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                    .setIdleTimeout(timeoutMillis).setFollowRedirects(false)
                    .putHeader("content-type", "application/json")
                    .putHeader("user-agent", USER_AGENT)
                    .putHeader("webhook-id", webhookId)
                    .putHeader("webhook-timestamp", Long.toString(timestamp))
                    .putHeader("webhook-signature", signature);
        } catch (RuntimeException e) {
            vertx.cancelTimer(timer);
            return Uni.createFrom().item(failed(started, t0, null, null, "invalid URL"));
        }
        client.request(options).onComplete(requested -> {
            if (requested.failed()) {
                outcome.tryComplete(failed(started, t0, null, null, describe(requested.cause())));
                return;
            }
            HttpClientRequest request = requested.result();
            inFlight[0] = request;
            request.send(Buffer.buffer(payload, "UTF-8")).onComplete(answered -> {
                if (answered.failed()) {
                    outcome.tryComplete(failed(started, t0, null, null, describe(answered.cause())));
                    return;
                }
                var response = answered.result();
                int status = response.statusCode();
                Buffer excerpt = Buffer.buffer();
                response.handler(chunk -> {
                    int room = WebhookAttempt.EXCERPT_LIMIT - excerpt.length();
                    if (room > 0) {
                        excerpt.appendBuffer(chunk.length() <= room ? chunk : chunk.getBuffer(0, room));
                    }
                });
                response.exceptionHandler(e -> outcome.tryComplete(failed(started, t0, status, text(excerpt),
                        "answer cut off: " + describe(e))));
                response.endHandler(v -> {
                    boolean ok = status >= 200 && status < 300;
                    outcome.tryComplete(new WebhookAttempt(started, status, elapsed(t0), text(excerpt),
                            ok ? null : "HTTP " + status, ok));
                });
            });
        });
        return Uni.createFrom().completionStage(() -> outcome.future().toCompletionStage())
                .invoke(() -> vertx.cancelTimer(timer));
    }

    private static WebhookAttempt failed(Instant started, long t0, Integer status, String excerpt, String error) {
        return new WebhookAttempt(started, status, elapsed(t0), excerpt, error, false);
    }

    private static int elapsed(long t0) {
        return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - t0) / 1_000_000);
    }

    /** At most 1 KB of the answer as text; a character cut at the limit becomes U+FFFD. */
    private static String text(Buffer excerpt) {
        return excerpt.length() == 0 ? null : new String(excerpt.getBytes(), StandardCharsets.UTF_8);
    }

    /** What went wrong, without the receiver's internals or any payload. */
    static String describe(Throwable e) {
        String name = e.getClass().getSimpleName();
        String message = e.getMessage();
        if (message == null) {
            return name;
        }
        return (name + ": " + message).substring(0, Math.min(300, name.length() + 2 + message.length()));
    }

    void onStop(@Observes ShutdownEvent event) {
        client.close();
    }
}
