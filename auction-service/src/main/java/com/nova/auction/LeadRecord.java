package com.nova.auction;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A lead as stored: normalized, sanitized, with where it stands. */
public record LeadRecord(
        UUID id,
        String publisherId,
        String idempotencyKey,
        String requestHash,
        String vertical,
        String firstName,
        String lastName,
        String email,
        String phone,
        String zip,
        String state,
        String trustedFormCertUrl,
        String comments,
        LeadStatus status,
        String statusReason,
        UUID buyerId,
        BigDecimal price,
        /** How it sold (null until it did); exclusive leads have one {@code buyerId}, shared ones none (their sales do). */
        Auction.SaleMode saleMode,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    public enum LeadStatus {
        HELD, SOLD, UNSOLD, REJECTED, RETURNED
    }

    /** The lead in its new state; sold to {@code buyer} (exclusive) when there is one. */
    public LeadRecord with(LeadStatus newStatus, String reason, UUID buyer, BigDecimal newPrice, OffsetDateTime at) {
        return new LeadRecord(id, publisherId, idempotencyKey, requestHash, vertical, firstName, lastName, email, phone,
                zip, state, trustedFormCertUrl, comments, newStatus, reason, buyer, newPrice,
                buyer == null ? null : Auction.SaleMode.EXCLUSIVE, createdAt, at);
    }

    /** Sold shared: {@code total} is what all its sales come to. */
    public LeadRecord sharedSale(String reason, BigDecimal total, OffsetDateTime at) {
        return new LeadRecord(id, publisherId, idempotencyKey, requestHash, vertical, firstName, lastName, email, phone,
                zip, state, trustedFormCertUrl, comments, LeadStatus.SOLD, reason, null, total, Auction.SaleMode.SHARED, createdAt, at);
    }
}
