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
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    public enum LeadStatus {
        HELD, SOLD, UNSOLD, REJECTED, RETURNED
    }

    public LeadRecord with(LeadStatus newStatus, String reason, UUID buyer, BigDecimal newPrice, OffsetDateTime at) {
        return new LeadRecord(id, publisherId, idempotencyKey, requestHash, vertical, firstName, lastName, email, phone,
                zip, state, trustedFormCertUrl, comments, newStatus, reason, buyer, newPrice, createdAt, at);
    }
}
