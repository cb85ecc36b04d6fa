package com.nova.auction.service;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.nova.auction.LeadRecord;
import com.nova.auction.config.AuctionConfig;
import com.nova.auction.repository.LeadRepository;
import com.nova.kit.background.BackgroundWork;
import com.nova.kit.sql.Transactions;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Checks held leads again (a provider or buyer-registry was down when they arrived). Each pass
 * takes due leads with {@code SKIP LOCKED} and pushes their next check out first, so instances
 * share the work and a crash mid-pass only delays a lead to its next check.
 */
@ApplicationScoped
public class HeldLeadRetry {

    /** This pass's name under {@code kit.background.disabled}. */
    public static final String WORKER = "auction-hold-retry";

    private final Pool pool;
    private final Transactions transactions;
    private final LeadRepository store;
    private final LeadIntake intake;
    private final AuctionConfig.Compliance config;
    private final Clock clock;
    private final Vertx vertx;
    private final BackgroundWork background;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long timer = -1;

    public HeldLeadRetry(Pool pool, Transactions transactions, LeadRepository store, LeadIntake intake, AuctionConfig config,
            Clock clock, Vertx vertx, BackgroundWork background) {
        this.pool = pool;
        this.transactions = transactions;
        this.store = store;
        this.intake = intake;
        this.config = config.compliance();
        this.clock = clock;
        this.vertx = vertx;
        this.background = background;
    }

    void start(@Observes StartupEvent event) {
        if (background.runs(WORKER)) {
            timer = vertx.setPeriodic(config.holdRetryInterval().toMillis(), id -> {
                if (running.compareAndSet(false, true)) {
                    runOnce().subscribe().with(n -> running.set(false), e -> {
                        running.set(false);
                        Log.warnf("Held-lead pass failed; the leads stay held: %s", e.getMessage());
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

    /** One pass; yields how many held leads were checked. */
    public Uni<Integer> runOnce() {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return transactions.inTransaction(conn -> store.takeDueHeld(conn, now, now.plus(config.holdRetryInterval()),
                config.holdBatchSize()))
                .chain(ids -> Multi.createFrom().iterable(ids)
                        .onItem().transformToUniAndConcatenate(this::recheck)
                        .collect().asList()
                        .map(List::size));
    }

    private Uni<UUID> recheck(UUID id) {
        return store.find(pool, id)
                .chain(lead -> lead == null || lead.status() != LeadRecord.LeadStatus.HELD ? Uni.createFrom().nullItem()
                        : intake.recheck(lead))
                .onFailure().recoverWithItem(e -> {
                    Log.warnf("Held lead %s could not be checked again: %s", id, e.getMessage());
                    return null;
                })
                .replaceWith(id);
    }
}
