package com.nova.wallet.service;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.nova.wallet.WalletViews;
import com.nova.wallet.config.WalletConfig;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Runs the wallet/ledger reconciliation on a schedule and publishes what it found, so an alert
 * (deploy/observability: WalletReconciliationDifference) fires on the first difference rather than
 * when someone next asks: {@code wallet_reconciliation_differences} (wallets whose balance is not
 * their entries' sum), {@code wallet_reconciliation_unbalanced_transactions} (transactions that do
 * not balance, and wallets whose held points or point lots disagree with their holds or balance),
 * {@code wallet_reconciliation_last_run_seconds} (epoch seconds of the last completed run), and
 * {@code wallet_held_points} (what active holds reserve across all wallets, as of that run).
 */
@ApplicationScoped
public class ReconciliationMonitor {

    private final WalletQueries queries;
    private final WalletConfig config;
    private final Vertx vertx;
    private final AtomicLong differences = new AtomicLong();
    private final AtomicLong unbalanced = new AtomicLong();
    private final AtomicLong lastRun = new AtomicLong();
    private final AtomicLong held = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long timer = -1;

    public ReconciliationMonitor(WalletQueries queries, WalletConfig config, Vertx vertx, MeterRegistry metrics) {
        this.queries = queries;
        this.config = config;
        this.vertx = vertx;
        metrics.gauge("wallet_reconciliation_differences", differences);
        metrics.gauge("wallet_reconciliation_unbalanced_transactions", unbalanced);
        metrics.gauge("wallet_reconciliation_last_run_seconds", lastRun);
        metrics.gauge("wallet_held_points", held);
    }

    void start(@Observes StartupEvent event) {
        long every = config.reconciliationInterval().toMillis();
        if (every > 0) {
            timer = vertx.setPeriodic(Math.min(every, 10_000), every, id -> {
                if (running.compareAndSet(false, true)) {
                    runOnce().subscribe().with(r -> running.set(false), e -> {
                        running.set(false);
                        Log.warnf("Reconciliation run failed: %s", e.getMessage());
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

    /** One reconciliation; its findings become the gauges' values. */
    public Uni<WalletViews.Reconciliation> runOnce() {
        return queries.reconcile().invoke(r -> {
            differences.set(r.differences().size());
            unbalanced.set(r.unbalancedTransactions() + r.holdDifferences().size() + r.lotDifferences().size());
            held.set(r.totalReservedByHolds());
            lastRun.set(System.currentTimeMillis() / 1000);
            if (!r.consistent()) {
                Log.errorf("Wallet reconciliation found %d wallet differences, %d unbalanced transactions, %d held-point "
                        + "and %d lot differences", r.differences().size(), r.unbalancedTransactions(), r.holdDifferences().size(),
                        r.lotDifferences().size());
            }
        });
    }
}
