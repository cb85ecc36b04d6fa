package com.nova.auction.service;

import java.math.BigDecimal;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.nova.auction.LeadRecord;
import com.nova.auction.LeadRecord.LeadStatus;

/** What a publisher learns about its lead: the price as a decimal string, the buyer when sold, the reason when not. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeadAnswer(UUID id, LeadStatus status, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal price,
        UUID buyerId, String reason,
        /** {@code exclusive} (one buyer, {@code buyerId}) or {@code shared} ({@code price} is what all its sales come to). */
        String mode, @JsonIgnore boolean replayed) {

    public static LeadAnswer of(LeadRecord lead, boolean replayed) {
        return new LeadAnswer(lead.id(), lead.status(), lead.price(), lead.buyerId(), lead.statusReason(),
                lead.saleMode() == null ? null : lead.saleMode().name().toLowerCase(java.util.Locale.ROOT), replayed);
    }
}
