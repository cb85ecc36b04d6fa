package com.nova.kit.events;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.nova.kit.requestid.RequestIds;

/**
 * The versioned contract of every stream entry, shared by producers and consumers. Money inside
 * {@code data} is a decimal string with a currency code or integer minor units, never a float.
 * Unknown fields are ignored so that a newer producer does not break an older consumer.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventEnvelope(
        int version,
        String id,
        String type,
        String source,
        String sourceEventId,
        Instant occurredAt,
        Instant receivedAt,
        String subject,
        JsonNode data,
        String requestId,
        String traceparent) {

    public static final int VERSION = 1;

    /** A new envelope: a fresh unique id, received now, carrying the current request id. */
    public static EventEnvelope create(String type, String source, String sourceEventId, Instant occurredAt,
            String subject, JsonNode data) {
        return new EventEnvelope(VERSION, UUID.randomUUID().toString(), type, source, sourceEventId, occurredAt,
                Instant.now(), subject, data, RequestIds.current(), null);
    }

    /** The same event as received at {@code at} (producers that stamp receipt on their own clock). */
    public EventEnvelope withReceivedAt(Instant at) {
        return new EventEnvelope(version, id, type, source, sourceEventId, occurredAt, at, subject, data, requestId,
                traceparent);
    }

    public EventEnvelope withTraceparent(String value) {
        return new EventEnvelope(version, id, type, source, sourceEventId, occurredAt, receivedAt, subject, data,
                requestId, value);
    }

    /** Throws {@link PoisonEventException} when a required field is missing or the version is unknown. */
    public EventEnvelope requireValid() {
        if (version != VERSION) {
            throw new PoisonEventException("unsupported envelope version " + version);
        }
        if (isBlank(id) || isBlank(type) || isBlank(source) || isBlank(sourceEventId) || occurredAt == null
                || data == null || data.isNull()) {
            throw new PoisonEventException("envelope lacks a required field");
        }
        return this;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
