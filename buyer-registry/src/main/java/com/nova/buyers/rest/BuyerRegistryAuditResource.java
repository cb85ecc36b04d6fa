package com.nova.buyers.rest;

import jakarta.ws.rs.Path;

import com.nova.kit.audit.AuditLogResource;
import com.nova.kit.audit.AuditQuery;

/** Admins read the buyer registry's audit trail. */
@Path("/v1/buyers/audit")
public class BuyerRegistryAuditResource extends AuditLogResource {

    public BuyerRegistryAuditResource(AuditQuery audit) {
        super(audit);
    }
}
