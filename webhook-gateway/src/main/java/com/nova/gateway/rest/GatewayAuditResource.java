package com.nova.gateway.rest;

import jakarta.ws.rs.Path;

import com.nova.kit.audit.AuditLogResource;
import com.nova.kit.audit.AuditQuery;

/** Admins read the webhook gateway's audit trail. */
@Path("/webhooks/audit")
public class GatewayAuditResource extends AuditLogResource {

    public GatewayAuditResource(AuditQuery audit) {
        super(audit);
    }
}
