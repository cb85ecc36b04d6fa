package com.nova.kit.audit;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;

/** One row of the audit trail as admins see it. */
public record AuditEntry(long id, OffsetDateTime occurredAt, String actor, String action, String target,
        String requestId, JsonNode details) {
}
