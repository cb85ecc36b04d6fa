package com.nova.kit.audit;

import java.util.List;

/** A page of audit entries, newest first; {@code nextCursor} fetches the following page. */
public record AuditPage(List<AuditEntry> items, String nextCursor) {
}
