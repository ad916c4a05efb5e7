package io.leadplatform.kpi.messaging;

import io.leadplatform.testsupport.DatabaseOutage;
import io.leadplatform.testsupport.DatabaseProxy;
import io.leadplatform.testsupport.TestEvents;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PostgreSQL unreachable while a batch arrives (the fault suite's lost lead): the batch waits, is neither
 * acknowledged (its offsets would be committed) nor dead-lettered, and is written and acknowledged once the
 * database is back.
 */
@QuarkusTest
@WithTestResource(value = DatabaseOutage.class, initArgs = @ResourceArg(name = "url", value = "postgresql://127.0.0.1:5432/kpi_test"))
class DatabaseOutageTest {

    @Inject
    KpiBatchConsumer consumer;

    private final List<String> acked = new CopyOnWriteArrayList<>();
    private final List<String> nacked = new CopyOnWriteArrayList<>();

    @AfterEach
    void restore() {
        DatabaseOutage.proxy().restore();
    }

    private Message<String> message(String name, String payload) {
        return Message.of(payload, () -> {
            acked.add(name);
            return CompletableFuture.completedFuture(null);
        }, e -> {
            nacked.add(name);
            return CompletableFuture.completedFuture(null);
        });
    }

    @Test
    void aBatchConsumedWhileTheDatabaseIsDownIsWrittenOnceItIsBack() {
        DatabaseProxy database = DatabaseOutage.proxy();
        String channel = "outage-" + UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        List<Message<String>> records = List.of(
                message("first", TestEvents.leadCaptured(UUID.randomUUID(), first, "a@" + first + ".com", channel)),
                message("second", TestEvents.leadCaptured(UUID.randomUUID(), second, "b@" + second + ".com", channel)));

        database.cut();
        long cutAt = System.nanoTime();
        UniAssertSubscriber<Void> batch = consumer.consume(KpiBatchConsumer.CAPTURE, message("batch", "poll"), records)
                .subscribe().withSubscriber(UniAssertSubscriber.create());

        // the consumer keeps trying to reach the database, longer than the old bounded retry, which gave up and
        // dead-lettered both events after about 9 s (5 retries of the batch, then of each event)...
        await().atMost(Duration.ofSeconds(90)).until(() -> database.refused() >= 6
                && Duration.ofNanos(System.nanoTime() - cutAt).compareTo(Duration.ofSeconds(12)) >= 0);
        // ...and meanwhile neither commits the batch's offsets nor dead-letters an event
        batch.assertNotTerminated();
        assertEquals(List.of(), acked);
        assertEquals(List.of(), nacked);

        database.restore();
        batch.awaitItem(Duration.ofSeconds(60));
        assertEquals(List.of("batch"), acked);
        assertEquals(List.of(), nacked);
        given().header("Authorization", Tokens.bearer("marketing")).queryParam("channel", channel)
                .get("/api/kpi/leads").then().statusCode(200).body("total", equalTo(2));
    }
}
