package com.nova.kit.events;

import io.smallrye.mutiny.Uni;

/**
 * Applies one stream entry. The returned Uni completes only after the service's database
 * transaction has committed; the entry is acknowledged after that. It must be idempotent on the
 * envelope's {@code sourceEventId}: an entry can be delivered more than once.
 */
@FunctionalInterface
public interface EventHandler {

    Uni<Void> handle(EventEnvelope event);
}
