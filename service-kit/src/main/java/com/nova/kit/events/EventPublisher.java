package com.nova.kit.events;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/** Appends envelopes to a stream ({@code XADD}) with the current request id and trace context. */
@ApplicationScoped
public class EventPublisher {

    public static final String FIELD_ENVELOPE = "envelope";
    public static final String FIELD_ID = "id";
    public static final String FIELD_TYPE = "type";

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;

    public EventPublisher(ReactiveRedisDataSource redis, ObjectMapper mapper) {
        this.redis = redis;
        this.mapper = mapper;
    }

    /** Appends the envelope; the Uni yields the entry id once Redis has it. */
    public Uni<String> publish(String stream, EventEnvelope envelope) {
        return redis.stream(String.class).xadd(stream, fields(envelope));
    }

    /** The stream entry fields of an envelope, with the trace context of the caller filled in. */
    public Map<String, String> fields(EventEnvelope envelope) {
        EventEnvelope traced = traced(envelope);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(FIELD_ID, traced.id());
        fields.put(FIELD_TYPE, traced.type());
        fields.put(FIELD_ENVELOPE, toJson(traced));
        return fields;
    }

    /** The envelope carrying the caller's trace context, unless it already carries one. */
    public EventEnvelope traced(EventEnvelope envelope) {
        return envelope.traceparent() == null ? envelope.withTraceparent(TraceContext.currentTraceparent()) : envelope;
    }

    public String toJson(EventEnvelope envelope) {
        try {
            return mapper.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Envelope cannot be serialized", e);
        }
    }
}
