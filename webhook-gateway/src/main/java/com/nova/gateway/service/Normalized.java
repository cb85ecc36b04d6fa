package com.nova.gateway.service;

import java.util.List;

import com.nova.kit.events.EventEnvelope;

/**
 * What one verified delivery turns into: its provider event id (the delivery's identity) and the
 * stream entries to forward, each with the business identity that may be forwarded only once
 * (a payment id, a refund id, a buyer's message id). No entries: an event type we do not use.
 */
public record Normalized(String source, String eventId, String eventType, List<Forward> forwards) {

    /** One stream entry and the identity under which it is forwarded at most once. */
    public record Forward(String stream, String identity, EventEnvelope envelope) {
    }

    public static Normalized ignored(String source, String eventId, String eventType) {
        return new Normalized(source, eventId, eventType, List.of());
    }

    public boolean isIgnored() {
        return forwards.isEmpty();
    }
}
