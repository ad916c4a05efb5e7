package io.leadplatform.nurturing;

import io.leadplatform.nurturing.domain.Enrollment;
import io.leadplatform.nurturing.repository.EnrollmentRepository;
import io.leadplatform.nurturing.repository.MailRepository;
import io.leadplatform.nurturing.service.MailDispatcher;
import io.leadplatform.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Claims with FOR UPDATE SKIP LOCKED and leases; mails left in doubt by a dead replica are not sent twice. */
@QuarkusTest
class SchedulerClaimTest {

    @Inject
    Pool pool;
    @Inject
    EnrollmentRepository enrollments;
    @Inject
    MailDispatcher dispatcher;
    @Inject
    MailRepository mails;

    private String sequence() {
        Fixtures.template("claim-hello", "Hi", "<p>Hi {lead.firstName}</p>");
        return Fixtures.sequence("{\"name\":\"Claims\",\"steps\":[{\"id\":\"s\",\"type\":\"send\",\"template\":\"claim-hello\"}]}");
    }

    private void due(String sequence, int n, String claimedBy, String claimedUntil) {
        pool.preparedQuery("""
                        insert into enrollment (id, lead_id, sequence_id, version, status, current_step, next_due, claimed_by, claimed_until, trigger, started_at)
                        select gen_random_uuid(), gen_random_uuid(), $1, 1, 'active', 's', now() - interval '1 minute', $3,
                               now() + ($4 || ' seconds')::interval, 'test', now()
                        from generate_series(1, $2)""")
                .execute(Tuple.of(UUID.fromString(sequence), n, claimedBy, claimedUntil)).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void twoClaimersShareTheDueRowsWithoutWaitingOrOverlap() throws Exception {
        String sequence = sequence();
        due(sequence, 40, null, "0");
        CompletableFuture<List<Enrollment>> claimedByA = new CompletableFuture<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        // A claims 25 and keeps its transaction (and the row locks) open
        CompletableFuture<List<Enrollment>> a = pool.withTransaction(c -> enrollments.claimDue(c, "A", 25, Duration.ofSeconds(60))
                        .invoke(claimedByA::complete)
                        .call(l -> Uni.createFrom().completionStage(release)))
                .subscribeAsCompletionStage();
        List<Enrollment> first = claimedByA.get(10, TimeUnit.SECONDS);
        long start = System.nanoTime();
        // B does not wait for A's locks: it skips them and gets the rest
        List<Enrollment> second = pool.withTransaction(c -> enrollments.claimDue(c, "B", 25, Duration.ofSeconds(60)))
                .await().atMost(Duration.ofSeconds(5));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        release.complete(null);
        a.get(10, TimeUnit.SECONDS);

        Set<UUID> ids = new HashSet<>();
        first.stream().filter(e -> e.sequenceId().toString().equals(sequence)).forEach(e -> ids.add(e.id()));
        int firstOfOurs = ids.size();
        second.stream().filter(e -> e.sequenceId().toString().equals(sequence)).forEach(e -> assertTrue(ids.add(e.id()), "claimed twice: " + e.id()));
        assertEquals(25, firstOfOurs);
        assertEquals(40, ids.size(), "every due row claimed once");
        assertTrue(tookMs < 2000, "B waited " + tookMs + " ms");
    }

    @Test
    void anExpiredLeaseIsTakenOverALiveOneIsNot() {
        String sequence = sequence();
        due(sequence, 3, "dead-replica", "-5");
        due(sequence, 3, "live-replica", "60");
        List<Enrollment> taken = pool.withTransaction(c -> enrollments.claimDue(c, "C", 100, Duration.ofSeconds(60)))
                .await().atMost(Duration.ofSeconds(5)).stream().filter(e -> e.sequenceId().toString().equals(sequence)).toList();
        assertEquals(3, taken.size());
        long stillLive = pool.preparedQuery("select count(*) from enrollment where sequence_id = $1 and claimed_by = 'live-replica'")
                .execute(Tuple.of(UUID.fromString(sequence))).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
        assertEquals(3, stillLive);
    }

    @Test
    void aMailInDoubtIsResolvedAtTheSmtpServerNotResent() {
        String sent = Fixtures.unique("doubt-sent");
        String emailId = given().header("Authorization", Tokens.bearer("marketing")).contentType(ContentType.JSON)
                .body("{\"to\":\"" + sent + "\"}").post("/api/nurturing/templates/optin-confirmation/test-send")
                .then().statusCode(202).extract().path("emailId");
        Fixtures.awaitMail(sent);
        await().atMost(Duration.ofSeconds(10)).until(() -> "sent".equals(state(emailId)));
        // as if the replica died after the SMTP answer, before committing it: the mail is back in 'dispatching', lease expired
        pool.preparedQuery("update email_message set state = 'dispatching', claimed_by = 'dead', claimed_until = now() - interval '1 hour', sent_at = null where id = $1")
                .execute(Tuple.of(UUID.fromString(emailId))).await().atMost(Duration.ofSeconds(5));

        // and one that the dead replica had claimed but never handed to SMTP
        String lost = Fixtures.unique("doubt-lost");
        UUID lostId = UUID.randomUUID();
        dispatching(lostId, lost, "dead", "1 hour");

        dispatcher.wakeUp();
        await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(state(emailId)) && "sent".equals(state(lostId.toString())));
        assertEquals(1, Fixtures.awaitMail(lost) != null ? Fixtures.mailbox(lost).size() : 0, "the unsent one went out once");
        assertEquals(1, Fixtures.mailbox(sent).size(), "the one already at the SMTP server was not sent again");
        assertTrue(lastError(emailId) == null);
    }

    @Test
    void aMailWhoseLeaseJustRanOutIsNotTakenOverWhileItsOwnerMayStillBeSending() {
        // the owner's lease ran out a second ago: a send it began before its start deadline may still be on the wire,
        // so no other replica looks the mail up (and resends it) before the SMTP timeout has passed as well
        String address = Fixtures.unique("doubt-grace");
        UUID id = UUID.randomUUID();
        dispatching(id, address, "slow-owner", "1 second");
        var claimed = pool.withTransaction(c -> mails.claimDue(c, "other", 1000, Duration.ofSeconds(60), Duration.ofSeconds(30)))
                .await().atMost(Duration.ofSeconds(10));
        giveBack(claimed);
        assertTrue(claimed.stream().noneMatch(m -> m.mail().id().equals(id)), "taken over inside the grace");
        assertEquals("dispatching", state(id.toString()));
        // once the grace has passed as well, it is in doubt and taken over
        pool.preparedQuery("update email_message set claimed_until = now() - interval '31 seconds' where id = $1")
                .execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(5));
        var later = pool.withTransaction(c -> mails.claimDue(c, "other", 1000, Duration.ofSeconds(60), Duration.ofSeconds(30)))
                .await().atMost(Duration.ofSeconds(10));
        giveBack(later.stream().filter(m -> !m.mail().id().equals(id)).toList());
        assertTrue(later.stream().anyMatch(m -> m.mail().id().equals(id) && m.inDoubt()), "not taken over after the grace");
        pool.preparedQuery("update email_message set state = 'unknown', claimed_by = null, claimed_until = null where id = $1")
                .execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void aClaimThatWasTakenOverCannotRecordItsOutcome() {
        // a worker whose batch outlived lease and grace: another claim (here of the same replica) took the mail over in doubt
        String address = Fixtures.unique("claim-token");
        UUID id = UUID.randomUUID();
        dispatching(id, address, "replica-1/round-a", "1 hour");
        var taken = pool.withTransaction(c -> mails.claimDue(c, "replica-1/round-b", 1000, Duration.ofSeconds(60), Duration.ofSeconds(30)))
                .await().atMost(Duration.ofSeconds(10));
        giveBack(taken.stream().filter(m -> !m.mail().id().equals(id)).toList());
        assertTrue(taken.stream().anyMatch(m -> m.mail().id().equals(id) && m.inDoubt()));

        // the first round's late outcome ("back to the queue") is not recorded: round b decides
        var held = pool.withTransaction(c -> mails.finish(c, "replica-1/round-a",
                        List.of(new MailRepository.Outcome(id, "queued", java.time.Instant.now(), "lease nearly over", null))))
                .await().atMost(Duration.ofSeconds(10));
        assertTrue(held.isEmpty(), "a stale claim recorded an outcome");
        assertEquals("dispatching", state(id.toString()));
        var mine = pool.withTransaction(c -> mails.finish(c, "replica-1/round-b",
                        List.of(new MailRepository.Outcome(id, "sent", null, null, java.time.Instant.now()))))
                .await().atMost(Duration.ofSeconds(10));
        assertEquals(List.of(id), mine);
        assertEquals("sent", state(id.toString()));
    }

    /** A mail some claimer left in 'dispatching', its lease expired {@code expiredAgo} ago. */
    private void dispatching(UUID id, String address, String claimedBy, String expiredAgo) {
        pool.preparedQuery("""
                        insert into email_message (id, template_id, transactional, kind, to_address, message_id, state, due_at, claimed_by,
                                                   claimed_until, attempts, created_at)
                        values ($1, 'optin-confirmation', true, 'test', $2, $3, 'dispatching', now(), $4, now() - $5::text::interval, 1, now())""")
                .execute(Tuple.of(id, address, "<" + id + "@leads.local>", claimedBy, expiredAgo)).await().atMost(Duration.ofSeconds(5));
    }

    /** Other tests' due mails that the direct claim took: back as they were (queued, or in doubt). */
    private void giveBack(List<MailRepository.Claimed> claimed) {
        for (MailRepository.Claimed m : claimed) {
            pool.preparedQuery(m.inDoubt()
                            ? "update email_message set claimed_until = now() - interval '1 hour' where id = $1"
                            : "update email_message set state = 'queued', claimed_by = null, claimed_until = null, attempts = attempts - 1 where id = $1")
                    .execute(Tuple.of(m.mail().id())).await().atMost(Duration.ofSeconds(5));
        }
    }

    private String state(String emailId) {
        return pool.preparedQuery("select state from email_message where id = $1").execute(Tuple.of(UUID.fromString(emailId)))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getString(0);
    }

    private String lastError(String emailId) {
        return pool.preparedQuery("select last_error from email_message where id = $1").execute(Tuple.of(UUID.fromString(emailId)))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getString(0);
    }
}
