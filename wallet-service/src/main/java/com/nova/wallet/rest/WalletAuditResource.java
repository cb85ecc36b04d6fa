package com.nova.wallet.rest;

import jakarta.ws.rs.Path;

import com.nova.kit.audit.AuditLogResource;
import com.nova.kit.audit.AuditQuery;

/** Admins read the wallet service's audit trail. */
@Path("/v1/wallets/audit")
public class WalletAuditResource extends AuditLogResource {

    public WalletAuditResource(AuditQuery audit) {
        super(audit);
    }
}
