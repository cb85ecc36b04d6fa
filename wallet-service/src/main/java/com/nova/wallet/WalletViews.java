package com.nova.wallet;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * What the wallet's reads answer: wallets, transactions, parked purchases, reconciliation and earn
 * rates. Read models shared by the repositories that build them and the services and resources
 * that hand them out, so neither layer imports the other.
 */
public final class WalletViews {

    private WalletViews() {
    }

    /**
     * A wallet: {@code balance} is posted, {@code held} is reserved by active holds, and
     * {@code available} (balance less held) is what may be spent. {@code nextExpiry} is null when
     * no point is due to expire.
     */
    public record WalletView(String driverId, long balance, long held, long available, long lifetimeEarned,
            long lifetimeRedeemed, Expiry nextExpiry, OffsetDateTime updatedAt) {
    }

    /** Points that expire at a time. */
    public record Expiry(long points, OffsetDateTime at) {
    }

    /** A hold; {@code captured} once captured, {@code released} (what went back to available) once ended. */
    public record HoldView(String holdId, String driverId, String merchantId, String status, long amount, Long captured,
            Long released, OffsetDateTime expiresAt, OffsetDateTime createdAt, OffsetDateTime settledAt) {

        public boolean active() {
            return "active".equals(status);
        }
    }

    public record HoldPage(List<HoldView> items, String nextCursor) {
    }

    /** Where a statement page starts: after the line at this time and transaction sequence. */
    public record StatementCursor(OffsetDateTime at, long seq) {

        /** As it travels: microseconds since the epoch, a dot, the sequence. */
        public String encode() {
            Instant i = at.toInstant();
            return (i.getEpochSecond() * 1_000_000 + i.getNano() / 1_000) + "." + seq;
        }

        /** Null when {@code cursor} is not one {@link #encode} made. */
        public static StatementCursor decode(String cursor) {
            int dot = cursor.indexOf('.');
            if (dot < 1) {
                return null;
            }
            try {
                long micros = Long.parseLong(cursor.substring(0, dot));
                long seq = Long.parseLong(cursor.substring(dot + 1));
                Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
                return new StatementCursor(at.atOffset(ZoneOffset.UTC), seq);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    /** A wallet as of an instant, from its immutable entries. */
    public record BalanceAt(String driverId, OffsetDateTime at, long balance, long held, long available) {
    }

    /**
     * One transaction of a statement: what it changed in the balance and in what is held, and
     * the balance and held points right after it.
     */
    public record StatementLine(String transactionId, OffsetDateTime at, String kind, String merchantId, String reference,
            String reason, long balanceChange, long heldChange, long balance, long held) {
    }

    /**
     * A statement over [from, to): the opening and closing balances of the whole range, one page of
     * its transactions oldest first, each with its running balance, and the cursor of the next page.
     */
    public record Statement(String driverId, OffsetDateTime from, OffsetDateTime to, long openingBalance,
            long openingHeld, long closingBalance, long closingHeld, List<StatementLine> items, String nextCursor) {
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
            long unbalancedTransactions, long totalIssued, long totalHeldByDrivers, List<HoldDifference> holdDifferences,
            List<LotDifference> lotDifferences, long totalReservedByHolds) {
    }

    /** A wallet whose held points differ from its active holds or from its pending entries. */
    public record HoldDifference(String driverId, long walletHeld, long activeHolds, long pendingEntries) {
    }

    /** A wallet whose balance differs from what its point lots have left. */
    public record LotDifference(String driverId, long walletBalance, long lotsRemaining) {
    }

    public record EarnRate(String merchantId, @com.fasterxml.jackson.annotation.JsonFormat(
            shape = com.fasterxml.jackson.annotation.JsonFormat.Shape.STRING) BigDecimal pointsPerUnit, boolean isDefault,
            String currency) {
    }
}
