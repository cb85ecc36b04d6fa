package com.nova.gateway;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;

/** Reads what the gateway forwarded, as a consumer would see it. */
final class Streams {

    private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();

    private Streams() {
    }

    /** Envelopes on {@code stream} whose {@code sourceEventId} is {@code id}. */
    static List<JsonNode> withSourceEventId(RedisDataSource redis, String stream, String id) {
        return redis.stream(String.class).xrange(stream, StreamRange.of("-", "+")).stream()
                .map(m -> {
                    try {
                        return MAPPER.readTree(m.payload().get("envelope"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .filter(e -> id.equals(e.path("sourceEventId").asText()))
                .toList();
    }
}
