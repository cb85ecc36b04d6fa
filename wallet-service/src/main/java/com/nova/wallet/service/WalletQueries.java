package com.nova.wallet.service;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.wallet.repository.WalletReadRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Read models: wallets, their transactions, parked purchases, reconciliation. Reads only. */
@ApplicationScoped
public class WalletQueries {

    public record WalletView(String driverId, long balance, long lifetimeEarned, long lifetimeRedeemed,
            OffsetDateTime updatedAt) {
    }

    public record TransactionView(String id, String kind, String status, long points, long shortfall, String merchantId,
            String reference, String reason, Long balanceAfter, OffsetDateTime createdAt) {
    }

    public record TransactionPage(List<TransactionView> items, String nextCursor) {
    }

    public record ParkedPurchase(long id, String source, String paymentId, String merchantId, long amountMinor,
            long refundedMinor, String currency, OffsetDateTime occurredAt, OffsetDateTime parkedAt,
            String attributedTo, OffsetDateTime attributedAt, String reason, String driverId) {
    }

    public record Difference(String driverId, long walletBalance, long ledgerBalance) {
    }

    /** {@code consistent} when every wallet equals its entries and every transaction balances. */
    public record Reconciliation(boolean consistent, long walletsChecked, List<Difference> differences,
            long unbalancedTransactions, long totalIssued, long totalHeldByDrivers) {
    }

    public record EarnRate(String merchantId, @com.fasterxml.jackson.annotation.JsonFormat(
            shape = com.fasterxml.jackson.annotation.JsonFormat.Shape.STRING) BigDecimal pointsPerUnit, boolean isDefault,
            String currency) {
    }

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
