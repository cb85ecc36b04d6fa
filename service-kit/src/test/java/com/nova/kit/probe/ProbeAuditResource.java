package com.nova.kit.probe;

import jakarta.ws.rs.Path;

import com.nova.kit.audit.AuditLogResource;
import com.nova.kit.audit.AuditQuery;

@Path("/probe/audit-log")
public class ProbeAuditResource extends AuditLogResource {

    public ProbeAuditResource(AuditQuery audit) {
        super(audit);
    }
}
