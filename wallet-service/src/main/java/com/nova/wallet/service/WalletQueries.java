package com.nova.wallet.service;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.wallet.WalletViews.BalanceAt;
import com.nova.wallet.WalletViews.ParkedPurchase;
import com.nova.wallet.WalletViews.Reconciliation;
import com.nova.wallet.WalletViews.Statement;
import com.nova.wallet.WalletViews.StatementCursor;
import com.nova.wallet.WalletViews.TransactionPage;
import com.nova.wallet.WalletViews.WalletView;
import com.nova.wallet.repository.WalletReadRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Read models: wallets, their transactions, parked purchases, reconciliation. Reads only. */
@ApplicationScoped
public class WalletQueries {

    private final Pool pool;
    private final WalletReadRepository reads;

    public WalletQueries(Pool pool, WalletReadRepository reads) {
        this.pool = pool;
        this.reads = reads;
    }

    public Uni<WalletView> wallet(String driverId) {
        return reads.wallet(driverId);
    }

    /** Newest first, keyset-paged by the transaction sequence. */
    public Uni<TransactionPage> transactions(String driverId, Long before, int limit) {
        return reads.transactions(driverId, before, limit);
    }

    /** The wallet as of {@code at}, from its entries. */
    public Uni<BalanceAt> balanceAt(String driverId, OffsetDateTime at) {
        return reads.balanceAt(driverId, at);
    }

    /** A statement page over [from, to), oldest first unless {@code newestFirst}. */
    public Uni<Statement> statement(String driverId, OffsetDateTime from, OffsetDateTime to, StatementCursor after, int limit,
            boolean newestFirst) {
        return reads.statement(driverId, from, to, after, limit, newestFirst);
    }

    public Uni<List<ParkedPurchase>> parked(boolean openOnly, int limit) {
        return reads.parked(openOnly, limit);
    }

    /**
     * Recomputes every balance from the entries and compares it with the wallet; checks every
     * transaction balances, in one repeatable-read snapshot so concurrent writes cannot fake a difference.
     */
    public Uni<Reconciliation> reconcile() {
        return pool.withTransaction(reads::reconcile);
    }
}
