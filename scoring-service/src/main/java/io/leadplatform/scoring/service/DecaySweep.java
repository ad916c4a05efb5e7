package io.leadplatform.scoring.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Periodically recycles MQLs whose decayed engagement fell below the threshold (scoring.decay-sweep.every). */
@ApplicationScoped
public class DecaySweep {

    private static final Logger LOG = Logger.getLogger(DecaySweep.class);

    private final LifecycleService lifecycle;

    public DecaySweep(LifecycleService lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Scheduled(every = "${scoring.decay-sweep.every}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return lifecycle.sweep(ScoringService.now())
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("decay sweep recycled %d MQLs", n);
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("decay sweep failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
