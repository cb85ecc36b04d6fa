package com.nova.auction.service;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.nova.auction.config.AuctionConfig;
import com.nova.auction.repository.PingRepository;
import com.nova.kit.background.BackgroundWork;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Deletes pings nobody posted, {@code auction.pings.retention} after they expired: a publisher pings
 * far more leads than it posts, so the table must not grow for ever. A used ping stays (the lead's
 * auction record shows its live bids). Deletes in small batches, each its own statement, skipping
 * rows a post has locked; instances running it at once only share the work.
 */
@ApplicationScoped
public class PingRetention {

    /** This pass's name under {@code kit.background.disabled}. */
    public static final String WORKER = "auction-ping-purge";

    private static final int BATCH = 1000;

    private final Pool pool;
    private final PingRepository pings;
    private final AuctionConfig.Pings config;
    private final Clock clock;
    private final Vertx vertx;
    private final BackgroundWork background;
    private final MeterRegistry metrics;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long timer = -1;

    public PingRetention(Pool pool, PingRepository pings, AuctionConfig config, Clock clock, Vertx vertx, BackgroundWork background,
            MeterRegistry metrics) {
        this.pool = pool;
        this.pings = pings;
        this.config = config.pings();
        this.clock = clock;
        this.vertx = vertx;
        this.background = background;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        if (!config.purgeInterval().isZero() && background.runs(WORKER)) {
            timer = vertx.setPeriodic(config.purgeInterval().toMillis(), id -> {
                if (running.compareAndSet(false, true)) {
                    purge().subscribe().with(n -> running.set(false), e -> {
                        running.set(false);
                        Log.warnf("Purging unused pings failed; they stay until the next pass: %s", e.toString());
                    });
                }
            });
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Deletes every unused ping that expired more than the retention ago; yields how many. */
    public Uni<Long> purge() {
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(clock.instant().minus(config.retention()), ZoneOffset.UTC);
        return purgeFrom(cutoff, 0L);
    }

    private Uni<Long> purgeFrom(OffsetDateTime cutoff, long sofar) {
        return pings.purgeUnusedBefore(pool, cutoff, BATCH).chain(n -> {
            if (n > 0) {
                metrics.counter("auction_pings_purged_total").increment(n);
            }
            return n < BATCH ? Uni.createFrom().item(sofar + n) : purgeFrom(cutoff, sofar + n);
        });
    }
}
