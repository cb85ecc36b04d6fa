package com.nova.buyers.service;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.nova.buyers.Buyer;

/** What the API answers. Credentials appear only as their type and a masked hint. */
public final class BuyerViews {

    private BuyerViews() {
    }

    public record AuthSummary(String type, String hint) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BuyerView(
            UUID id,
            String name,
            Buyer.Status status,
            List<String> verticals,
            List<String> states,
            List<String> zipPrefixes,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal bidAmount,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal sharedBidAmount,
            int priority,
            BuyerRequests.Caps caps,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal dailyBudget,
            String deliveryUrl,
            AuthSummary authConfig,
            String pingUrl,
            AuthSummary pingAuthConfig,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal bidFloor,
            boolean capsBackOnReturn,
            String acceptMode,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt,
            long version,
            /** Only in the answer to creation and rotation: shown once, never again. */
            String webhookSecret) {

        public static BuyerView of(Buyer b) {
            return of(b, null);
        }

        public static BuyerView of(Buyer b, String webhookSecret) {
            return new BuyerView(b.id, b.name, b.status, List.of(b.verticals), List.of(b.states), List.of(b.zipPrefixes),
                    b.bidAmount, b.sharedBidAmount, b.priority,
                    b.dailyCap == null && b.monthlyCap == null ? null : new BuyerRequests.Caps(b.dailyCap, b.monthlyCap),
                    b.dailyBudget, b.deliveryUrl, new AuthSummary(b.authType, b.authHint), b.pingUrl,
                    b.pingUrl == null ? null : new AuthSummary(b.pingAuthType, b.pingAuthHint), b.bidFloor, b.capsBackOnReturn, b.acceptMode, b.createdAt, b.updatedAt,
                    b.version, webhookSecret);
        }
    }

    public record BuyerPage(List<BuyerView> items, String nextCursor) {
    }

    public record RotatedSecret(UUID buyerId, String webhookSecret, OffsetDateTime previousValidUntil) {
    }

    /** The bidding fields auction-service needs; caps and budget are enforced by the auction. */
    public record EligibleBuyer(
            UUID id,
            long registrationSeq,
            OffsetDateTime registeredAt,
            String name,
            List<String> verticals,
            List<String> states,
            List<String> zipPrefixes,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal bidAmount,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal sharedBidAmount,
            int priority,
            Integer dailyCap,
            Integer monthlyCap,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal dailyBudget,
            /** Answers pings from its own endpoint (read with {@code /internal/buyers/{id}/ping-endpoint}). */
            boolean liveBidding,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal bidFloor,
            /** Whether an accepted return gives back the cap and budget its sale used. */
            boolean capsBackOnReturn,
            /** {@code auto} or {@code post-accept} (offered first; accepts or rejects). */
            String acceptMode,
            long version) {

        public static EligibleBuyer of(Buyer b) {
            return new EligibleBuyer(b.id, b.registrationSeq, b.createdAt, b.name, List.of(b.verticals),
                    List.of(b.states), List.of(b.zipPrefixes), b.bidAmount, b.sharedBidAmount, b.priority, b.dailyCap, b.monthlyCap,
                    b.dailyBudget, b.pingUrl != null, b.bidFloor, b.capsBackOnReturn, b.acceptMode, b.version);
        }
    }

    public record EligibleBuyers(List<EligibleBuyer> buyers) {
    }

    public record Delivery(UUID buyerId, Buyer.Status status, String deliveryUrl, AuthConfig authConfig) {
    }

    /** Where and how to ask a buyer for a live bid, credentials in clear. */
    public record PingEndpoint(UUID buyerId, Buyer.Status status, String pingUrl, AuthConfig authConfig,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal bidFloor) {
    }

    public record ValidSecret(String secret, OffsetDateTime createdAt, OffsetDateTime expiresAt) {
    }

    public record WebhookSecrets(UUID buyerId, Buyer.Status status, List<ValidSecret> secrets) {
    }

    /**
     * What a re-encryption run did. {@code remaining} counts rows not yet under the primary key
     * (unreadable ones included): retire old keys only when it is 0.
     */
    public record ReencryptionReport(long primaryKeyId, int buyersReencrypted, int secretsReencrypted,
            int legacyPlaintextEncrypted, int unreadable, long remaining) {
    }

    public record ChainVerification(boolean intact, long rowsChecked, Long firstBrokenId, String problem,
            String headHash) {
    }
}
