package com.nova.kit.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.nova.kit.KitTest;
import com.nova.kit.requestid.RequestIds;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

/** The consumer runner against the real Redis: ack after success, reclaim, retry, dead-letter. */
@QuarkusTest
@KitTest
class StreamConsumerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    EventPublisher publisher;

    @Inject
    StreamConsumers consumers;

    @Inject
    RedisDataSource redis;

    private final List<StreamConsumer> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopConsumers() {
        started.forEach(StreamConsumer::stop);
    }

    private StreamCommands<String, String, String> streams() {
        return redis.stream(String.class, String.class, String.class);
    }

    private static EventEnvelope envelope(String requestId) {
        RequestIds.bind(requestId);
        try {
            return EventEnvelope.create("test.happened", "test", "src-" + UUID.randomUUID(), Instant.now(), "subject-1",
                    JsonNodeFactory.instance.objectNode().put("amountMinor", 1234).put("currency", "USD"));
        } finally {
            RequestIds.bind(null);
        }
    }

    private String publish(String stream, EventEnvelope e) {
        return streams().xadd(stream, publisher.fields(e));
    }

    private StreamConsumer start(String stream, String consumer, EventHandler handler) {
        StreamConsumer c = consumers.start(new StreamSubscription(stream, "g", handler), consumer, redis,
                FastStreams.standard());
        started.add(c);
        return c;
    }

    private long pending(String stream) {
        return streams().xpending(stream, "g").getPendingCount();
    }

    @Test
    void appliesEveryEntryOnceWithItsRequestIdAndAcknowledges() {
        String stream = "kit.test." + UUID.randomUUID();
        Map<String, String> seen = new ConcurrentHashMap<>();
        for (int i = 0; i < 5; i++) {
            publish(stream, envelope("req-stream-000" + i));
        }
        start(stream, "c1", e -> {
            seen.merge(e.id(), String.valueOf(RequestIds.current()), (a, b) -> a + "," + b);
            return Uni.createFrom().voidItem();
        });
        Awaitility.await().atMost(WAIT).until(() -> seen.size() == 5 && pending(stream) == 0);
        assertTrue(seen.values().stream().allMatch(v -> v.matches("req-stream-000[0-4]")), seen.toString());
    }

    @Test
    void entryReadByAConsumerThatDiedBeforeAckIsReclaimedAndAppliedOnce() {
        String stream = "kit.test." + UUID.randomUUID();
        String id = publish(stream, envelope("req-reclaim-0001"));
        streams().xgroupCreate(stream, "g", "0", new XGroupCreateArgs().mkstream());
        // The doomed consumer reads the entry and dies: no ack, it stays pending under its name.
        List<StreamMessage<String, String, String>> read = streams().xreadgroup("g", "doomed", stream, ">",
                new XReadGroupArgs().count(1));
        assertEquals(id, read.get(0).id());
        assertEquals(1, pending(stream));

        AtomicInteger applied = new AtomicInteger();
        start(stream, "survivor", e -> {
            applied.incrementAndGet();
            return Uni.createFrom().voidItem();
        });
        Awaitility.await().atMost(WAIT).until(() -> applied.get() == 1 && pending(stream) == 0);
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> applied.get() == 1);
    }

    @Test
    void consumerKilledInsideTheHandlerLosesNothing() {
        String stream = "kit.test." + UUID.randomUUID();
        publish(stream, envelope("req-killed-0001"));
        AtomicInteger entered = new AtomicInteger();
        StreamConsumer victim = start(stream, "victim", e -> {
            entered.incrementAndGet();
            return Uni.createFrom().nothing(); // never commits
        });
        Awaitility.await().atMost(WAIT).until(() -> entered.get() == 1);
        victim.kill();
        started.remove(victim);

        AtomicInteger applied = new AtomicInteger();
        start(stream, "heir", e -> {
            applied.incrementAndGet();
            return Uni.createFrom().voidItem();
        });
        Awaitility.await().atMost(WAIT).until(() -> applied.get() == 1 && pending(stream) == 0);
    }

    @Test
    void poisonEntryIsDeadLetteredWithoutBlockingTheStream() {
        String stream = "kit.test." + UUID.randomUUID();
        String poison = streams().xadd(stream, Map.of("envelope", "{not json"));
        String missingField = streams().xadd(stream, Map.of("other", "x"));
        EventEnvelope good = envelope("req-good-0001");
        publish(stream, good);
        Map<String, Boolean> applied = new ConcurrentHashMap<>();
        start(stream, "c1", e -> {
            applied.put(e.id(), true);
            return Uni.createFrom().voidItem();
        });
        Awaitility.await().atMost(WAIT).until(() -> applied.containsKey(good.id()) && pending(stream) == 0
                && streams().xlen(stream + ".dlq") == 2);
        List<StreamMessage<String, String, String>> dlq = streams().xrange(stream + ".dlq", StreamRange.of("-", "+"));
        assertEquals(poison, dlq.get(0).payload().get("dlq.originalId"));
        assertTrue(dlq.get(0).payload().get("dlq.reason").startsWith("malformed"));
        assertEquals(missingField, dlq.get(1).payload().get("dlq.originalId"));
    }

    @Test
    void entryFailingEveryDeliveryMovesToTheDeadLetterStreamAfterMaxDeliveries() {
        String stream = "kit.test." + UUID.randomUUID();
        EventEnvelope bad = envelope("req-bad-0001");
        EventEnvelope good = envelope("req-good-0002");
        publish(stream, bad);
        publish(stream, good);
        AtomicInteger attempts = new AtomicInteger();
        Map<String, Boolean> applied = new ConcurrentHashMap<>();
        start(stream, "c1", e -> {
            if (e.id().equals(bad.id())) {
                attempts.incrementAndGet();
                return Uni.createFrom().failure(new IllegalStateException("database is having a bad day"));
            }
            applied.put(e.id(), true);
            return Uni.createFrom().voidItem();
        });
        Awaitility.await().atMost(WAIT).until(() -> applied.containsKey(good.id()));
        Awaitility.await().atMost(WAIT).until(() -> streams().xlen(stream + ".dlq") == 1 && pending(stream) == 0);
        // Two deliveries of two attempts each, then it was parked.
        assertEquals(4, attempts.get());
        StreamMessage<String, String, String> parked = streams().xrange(stream + ".dlq", StreamRange.of("-", "+")).get(0);
        assertEquals("failed 2 deliveries", parked.payload().get("dlq.reason"));
        assertTrue(parked.payload().get("envelope").contains(bad.id()), "the dead letter keeps the whole envelope");
    }

    @Test
    void anOutageOfTheStoresDelaysAnEntryButNeverDeadLettersIt() {
        String stream = "kit.test." + UUID.randomUUID();
        EventEnvelope e1 = envelope("req-outage-0001");
        publish(stream, e1);
        // Twice the deliveries after which a failing entry is parked, each failing because the database
        // could not serve it; then the database is back.
        int failures = 2 * FastStreams.standard().maxDeliveries() * FastStreams.standard().attemptsPerDelivery();
        AtomicInteger attempts = new AtomicInteger();
        Map<String, Integer> applied = new ConcurrentHashMap<>();
        start(stream, "c1", e -> {
            int attempt = attempts.incrementAndGet();
            if (attempt <= failures) {
                // Each delivery: first no connection in time (the SQL pool's own wait timeout), then a
                // failure that outage left behind (here: what a delivery's still-running claim answers).
                return Uni.createFrom().failure(attempt % 2 == 1
                        ? new io.vertx.core.VertxException("Timeout waiting for connection", true)
                        : new IllegalStateException("delivery is claimed until the first attempt's lease ends"));
            }
            applied.merge(e.id(), 1, Integer::sum);
            return Uni.createFrom().voidItem();
        });
        Awaitility.await().atMost(WAIT).until(() -> applied.containsKey(e1.id()) && pending(stream) == 0);
        assertEquals(failures + 1, attempts.get());
        assertEquals(Map.of(e1.id(), 1), applied);
        assertEquals(0, streams().xlen(stream + ".dlq"), "an outage parks nothing");
    }
}
