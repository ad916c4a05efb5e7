package io.leadplatform.scoring.service;

import io.leadplatform.scoring.config.ScoringConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;

/**
 * This replica's rescoring worker: every {@code scoring.rescore.every} it works off the open chunks of the running
 * jobs ({@link RescoreJobs#drain}) under an owner name unique to this process (host, pid, random), so chunks held by
 * a previous run of the same replica are taken over like any dead owner's, once their lease ran out.
 */
@ApplicationScoped
public class RescoreWorker {

    private static final Logger LOG = Logger.getLogger(RescoreWorker.class);

    private final RescoreJobs jobs;
    private final ScoringConfig config;
    private final String owner;

    public RescoreWorker(RescoreJobs jobs, ScoringConfig config) {
        this.jobs = jobs;
        this.config = config;
        this.owner = host() + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    public String owner() {
        return owner;
    }

    /** On a graceful stop the chunks this worker holds are given back, so that no one waits for their lease. */
    void stopping(@Observes ShutdownEvent event) {
        if (!config.rescore().worker()) {
            return;
        }
        try {
            int released = jobs.releaseAll(owner).await().atMost(Duration.ofSeconds(5));
            if (released > 0) {
                LOG.infof("%s gave back %d rescoring chunks", owner, released);
            }
        } catch (RuntimeException e) {
            LOG.warnf("%s could not give back its rescoring chunks (they are claimed again after the lease): %s", owner, e.toString());
        }
    }

    @Scheduled(every = "${scoring.rescore.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        if (!config.rescore().worker()) {
            return Uni.createFrom().voidItem();
        }
        return jobs.drain(owner)
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("%s rescored %d chunks", owner, n);
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("rescoring worker %s stopped (next round in %s): %s", owner, config.rescore().every(),
                        e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
