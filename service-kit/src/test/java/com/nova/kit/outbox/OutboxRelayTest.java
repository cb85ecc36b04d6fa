package com.nova.kit.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.nova.kit.KitTest;
import com.nova.kit.events.EventEnvelope;
import com.nova.kit.testing.PrivateRedis;
import com.nova.kit.testing.TestDatabase;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * The outbox against real PostgreSQL and a real Redis that is down, then up: an event written in
 * a committed transaction waits out the outage in the table and reaches the stream exactly once;
 * an event of a rolled-back transaction never exists.
 */
@QuarkusTest
@KitTest
class OutboxRelayTest {

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @Inject
    @RedisClientName("restartable")
    ReactiveRedisDataSource restartable;

    @Inject
    @RedisClientName("restartable")
    RedisDataSource restartableBlocking;

    @ConfigProperty(name = "nova.test.restartable-redis-port")
    int port;

    private PrivateRedis server;

    @AfterEach
    void shutdown() throws InterruptedException {
        if (server != null) {
            server.kill();
        }
    }

    private static EventEnvelope envelope() {
        return EventEnvelope.create("test.outboxed", "test", "src-" + UUID.randomUUID(), Instant.now(), "s-1",
                JsonNodeFactory.instance.objectNode().put("amountMinor", 500).put("currency", "USD"));
    }

    private static long outboxRows(String eventId) {
        return TestDatabase.count("kit_test", "select count(*) from outbox where event_id = ?", eventId);
    }

    @Test
    void committedEventWaitsOutARedisOutageAndIsPublishedOnce() throws Throwable {
        String stream = "kit.outbox." + UUID.randomUUID();
        EventEnvelope event = envelope();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> outbox.enqueue(stream, event)));
        assertEquals(1, outboxRows(event.id()));

        // Redis is down: the pass fails, the event stays.
        assertThrows(Exception.class, () -> drain());
        assertEquals(1, outboxRows(event.id()));

        server = new PrivateRedis(port, false).start();
        assertEquals(1, drain());
        assertEquals(0, outboxRows(event.id()));
        assertEquals(0, drain(), "a second pass finds nothing to publish");

        List<StreamMessage<String, String, String>> entries = restartableBlocking.stream(String.class)
                .xrange(stream, StreamRange.of("-", "+"));
        assertEquals(1, entries.size());
        assertEquals(event.id(), entries.get(0).payload().get("id"));
        assertEquals("test.outboxed", entries.get(0).payload().get("type"));
        assertTrue(entries.get(0).payload().get("envelope").contains("\"amountMinor\":500"));
    }

    @Test
    void eventOfARolledBackTransactionNeverExists() throws Throwable {
        EventEnvelope event = envelope();
        assertThrows(IllegalStateException.class, () -> VertxContextSupport.subscribeAndAwait(() -> Panache
                .withTransaction(() -> outbox.enqueue("kit.outbox.rolled-back", event)
                        .chain(() -> Uni.createFrom().failure(new IllegalStateException("after the outbox row"))))));
        assertEquals(0, outboxRows(event.id()));
    }

    private int drain() {
        return relay.relayBatch(restartable).await().atMost(Duration.ofSeconds(10));
    }

}
