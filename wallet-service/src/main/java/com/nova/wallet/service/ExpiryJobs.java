package com.nova.wallet.service;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.nova.kit.background.BackgroundWork;
import com.nova.kit.idempotency.IdempotencyKeys;
import com.nova.kit.sql.Transactions;
import com.nova.wallet.config.WalletConfig;
import com.nova.wallet.repository.HoldRepository;
import com.nova.wallet.repository.LedgerRepository;
import com.nova.wallet.repository.LedgerRepository.Claim;
import com.nova.wallet.repository.LedgerRepository.Entry;
import com.nova.wallet.repository.PointLotRepository;
import com.nova.wallet.repository.PointLotRepository.DueLot;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Ends what time ends: holds not captured by their {@code expiresAt} (released, {@code expired}),
 * and point lots at their expiry (what is left of them leaves the wallet as an {@code EXPIRY}
 * transaction). Each hold and each lot ends in a transaction of its own under row locks, so
 * several instances can run a pass at once and each thing ends once; a crash mid-pass leaves the
 * rest to the next pass. Points a hold reserves are not expired under it: what is left of a lot
 * beyond the available points expires on a later pass, once the hold ended without spending them.
 */
@ApplicationScoped
public class ExpiryJobs {

    /** This pass's name under {@code kit.background.disabled}. */
    public static final String WORKER = "wallet-expiry";

    /** What one pass ended. */
    public record Pass(int holdsExpired, long pointsExpired) {
    }

    private final Transactions transactions;
    private final HoldRepository holds;
    private final HoldService holdService;
    private final PointLotRepository lots;
    private final LedgerRepository ledger;
    private final WalletConfig.PointExpiry config;
    private final Clock clock;
    private final Vertx vertx;
    private final BackgroundWork background;
    private final MeterRegistry metrics;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long timer = -1;

    public ExpiryJobs(Transactions transactions, HoldRepository holds, HoldService holdService, PointLotRepository lots,
            LedgerRepository ledger, WalletConfig config, Clock clock, Vertx vertx, BackgroundWork background,
            MeterRegistry metrics) {
        this.transactions = transactions;
        this.holds = holds;
        this.holdService = holdService;
        this.lots = lots;
        this.ledger = ledger;
        this.config = config.points();
        this.clock = clock;
        this.vertx = vertx;
        this.background = background;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        long every = config.expiryInterval().toMillis();
        if (every > 0 && background.runs(WORKER)) {
            timer = vertx.setPeriodic(every, id -> {
                if (running.compareAndSet(false, true)) {
                    runOnce().subscribe().with(p -> running.set(false), e -> {
                        running.set(false);
                        Log.warnf("Expiry pass failed; the next pass takes it up again: %s", e.getMessage());
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

    /** One pass: due holds first (their release may let a due lot expire whole), then due lots. */
    public Uni<Pass> runOnce() {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return holds.due(now, config.expiryBatchSize())
                .chain(due -> Multi.createFrom().iterable(due)
                        .onItem().transformToUniAndConcatenate(h -> holdService.expire(h.driverId(), UUID.fromString(h.holdId()))
                                .onFailure().recoverWithItem(e -> {
                                    Log.warnf("Hold %s could not be expired on this pass: %s", h.holdId(), e.getMessage());
                                    return false;
                                }))
                        .collect().asList())
                .map(ended -> (int) ended.stream().filter(Boolean::booleanValue).count())
                .chain(holdsExpired -> lots.due(now, config.expiryBatchSize())
                        .chain(due -> Multi.createFrom().iterable(due)
                                .onItem().transformToUniAndConcatenate(lot -> expireLot(lot, now)
                                        .onFailure().recoverWithItem(e -> {
                                            Log.warnf("Point lot %d could not be expired on this pass: %s", lot.id(), e.getMessage());
                                            return 0L;
                                        }))
                                .collect().asList())
                        .map(List::stream)
                        .map(points -> new Pass(holdsExpired, points.mapToLong(Long::longValue).sum())));
    }

    /** Expires what is left of a lot, as far as the available points go; yields the points expired. */
    private Uni<Long> expireLot(DueLot due, OffsetDateTime now) {
        // The wallet first, then the lot: the order every debit locks them in.
        return transactions.inTransaction(conn -> ledger.lockWallet(conn, due.driverId())
                .chain(() -> lots.lock(conn, due.id()))
                .chain(lot -> {
                    if (lot == null || lot.expiresAt() == null || lot.expiresAt().isAfter(now)) {
                        return Uni.createFrom().item(0L);
                    }
                    return ledger.debit(conn, lot.driverId(), lot.remaining(), true).chain(taken -> {
                        if (taken == 0) {
                            return Uni.createFrom().item(0L);
                        }
                        UUID id = UUID.randomUUID();
                        // The key names the lot and what it had left, which only ever shrinks: each expiry of it is its own transaction.
                        String key = "lot:" + lot.id() + ":" + lot.remaining();
                        return ledger.claim(conn, new Claim(id, lot.driverId(), "EXPIRY", taken, "expiry", key,
                                IdempotencyKeys.requestHash("expiry", key), null, "lot:" + lot.id(), null, "system:point-expiry"))
                                .chain(existing -> {
                                    if (existing != null) {
                                        throw new IllegalStateException("lot " + lot.id() + " expired twice at " + lot.remaining());
                                    }
                                    return lots.reduce(conn, lot.id(), taken)
                                            .chain(() -> ledger.entries(conn, id, List.of(
                                                    new Entry(LedgerRepository.driverAccount(lot.driverId()), 'D', taken),
                                                    new Entry(LedgerRepository.EXPIRED, 'C', taken))))
                                            .chain(() -> ledger.settle(conn, id, lot.driverId(), "COMMITTED", taken, 0, null))
                                            .replaceWith(taken);
                                });
                    });
                }))
                .invoke(taken -> {
                    if (taken > 0) {
                        metrics.counter("wallet_points_expired_total").increment(taken);
                    }
                });
    }
}
