package com.nova.kit.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.nova.kit.KitTest;
import com.nova.kit.testing.PrivateRedis;

import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

/**
 * A consumer keeps going through a Redis crash and restart (a private redis-server with an
 * append-only file, killed with SIGKILL): every entry written before and after is applied, none
 * is left pending.
 */
@QuarkusTest
@KitTest
class StreamRedisRestartTest {

    @Inject
    @RedisClientName("restartable")
    RedisDataSource redis;

    @Inject
    EventPublisher publisher;

    @Inject
    StreamConsumers consumers;

    @ConfigProperty(name = "nova.test.restartable-redis-port")
    int port;

    private PrivateRedis server;

    @AfterEach
    void shutdown() throws InterruptedException {
        if (server != null) {
            server.kill();
        }
    }

    private String publish(String stream) {
        EventEnvelope e = EventEnvelope.create("test.happened", "test", "src-" + UUID.randomUUID(), Instant.now(),
                "s", JsonNodeFactory.instance.objectNode().put("n", 1));
        redis.stream(String.class, String.class, String.class).xadd(stream, publisher.fields(e));
        return e.id();
    }

    @Test
    void noEntryIsLostOrLeftPendingAcrossARedisCrash() throws Exception {
        server = new PrivateRedis(port, true).start();
        String stream = "kit.restart." + UUID.randomUUID();
        Set<String> published = ConcurrentHashMap.newKeySet();
        Set<String> applied = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 20; i++) {
            published.add(publish(stream));
        }
        StreamConsumer consumer = consumers.start(new StreamSubscription(stream, "g", e -> {
            applied.add(e.id());
            // Slow enough that the crash lands while entries are read but not yet acknowledged.
            return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(50));
        }), "restart-consumer", redis, FastStreams.standard());
        try {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> applied.size() >= 5);
            server.kill();
            Thread.sleep(1_000);
            server.start();
            for (int i = 0; i < 20; i++) {
                published.add(publish(stream));
            }
            Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> applied.containsAll(published)
                    && redis.stream(String.class).xpending(stream, "g").getPendingCount() == 0);
            assertEquals(published, applied);
        } finally {
            consumer.stop();
        }
    }
}
