package com.nova.auction.rest;

import jakarta.ws.rs.Path;

import com.nova.kit.audit.AuditLogResource;
import com.nova.kit.audit.AuditQuery;

/** Admins read the auction service's audit trail. */
@Path("/admin/audit/entries")
public class AuctionAuditResource extends AuditLogResource {

    public AuctionAuditResource(AuditQuery audit) {
        super(audit);
    }
}
