package com.nova.gateway.service;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.nova.gateway.config.GatewayConfig;
import com.nova.gateway.repository.RejectionRepository;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Keeps the record of rejected deliveries to {@code gateway.rejections.retention}: anyone can
 * make us write one (junk is cheap to send), so the table must not grow for ever. Deletes in
 * small batches, each its own statement, so it never holds long locks; several instances
 * running it at once only share the work.
 */
@ApplicationScoped
public class RejectionRetention {

    private static final int BATCH = 1000;

    private final RejectionRepository rejections;
    private final GatewayConfig.Rejections config;
    private final Clock clock;
    private final Vertx vertx;
    private final MeterRegistry metrics;

    public RejectionRetention(RejectionRepository rejections, GatewayConfig config, Clock clock, Vertx vertx,
            MeterRegistry metrics) {
        this.rejections = rejections;
        this.config = config.rejections();
        this.clock = clock;
        this.vertx = vertx;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        if (!config.purgeInterval().isZero()) {
            vertx.setPeriodic(config.purgeInterval().toMillis(), id -> purge().subscribe().with(n -> { },
                    e -> Log.warnf("Purging old rejected deliveries failed: %s", e.toString())));
        }
    }

    /** Deletes every record older than the retention; yields how many. */
    public Uni<Long> purge() {
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(clock.instant().minus(config.retention()), ZoneOffset.UTC);
        return purgeFrom(cutoff, 0L);
    }

    private Uni<Long> purgeFrom(OffsetDateTime cutoff, long sofar) {
        return rejections.purgeBefore(cutoff, BATCH).chain(n -> {
            if (n > 0) {
                metrics.counter("gateway_rejections_purged_total").increment(n);
            }
            return n < BATCH ? Uni.createFrom().item(sofar + n) : purgeFrom(cutoff, sofar + n);
        });
    }
}
