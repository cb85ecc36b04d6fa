package com.nova.wallet;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What the wallet's reads answer: wallets, transactions, parked purchases, reconciliation and earn
 * rates. Read models shared by the repositories that build them and the services and resources
 * that hand them out, so neither layer imports the other.
 */
public final class WalletViews {

    private WalletViews() {
    }

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
}
