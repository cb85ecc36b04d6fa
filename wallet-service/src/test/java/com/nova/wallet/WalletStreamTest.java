package com.nova.wallet;

import static com.nova.wallet.WalletFixtures.balance;
import static com.nova.wallet.WalletFixtures.driver;
import static com.nova.wallet.WalletFixtures.purchase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.nova.kit.events.EventEnvelope;
import com.nova.kit.events.EventPublisher;
import com.nova.kit.testing.SuiteTestResource;
import com.nova.wallet.service.WalletEvents;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** The running consumer of wallet.events against the real Redis: applied once, reclaimed, dead-lettered. */
@QuarkusTest
@QuarkusTestResource(value = SuiteTestResource.class, initArgs = @ResourceArg(name = "database", value = "wallet_test"))
class WalletStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    RedisDataSource redis;

    @Inject
    EventPublisher publisher;

    private String xadd(EventEnvelope e) {
        return redis.stream(String.class).xadd(WalletEvents.STREAM, publisher.fields(e));
    }

    @Test
    void entriesOnTheStreamBecomeGrantsOnceEvenWhenForwardedAgain() {
        String d = driver();
        String pay = "pi_" + UUID.randomUUID();
        // The gateway's duplicate keys lost (a Redis restart): the same payment arrives three times.
        for (int i = 0; i < 3; i++) {
            xadd(purchase("stripe", pay, d, "m-1", 1500, "USD"));
        }
        Awaitility.await().atMost(WAIT).until(() -> balance(d) == 15);
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> balance(d) == 15);
    }

    @Test
    void anEntryReadByAConsumerThatDiedBeforeItsAckIsReclaimedAndAppliedOnce() {
        String d = driver();
        var streams = redis.stream(String.class, String.class, String.class);
        try {
            streams.xgroupCreate(WalletEvents.STREAM, WalletEvents.GROUP, "$", new XGroupCreateArgs().mkstream());
        } catch (RuntimeException exists) {
            // the running consumer created it already
        }
        // A second consumer of the group takes the entry and dies before applying it.
        xadd(purchase("stripe", "pi_" + UUID.randomUUID(), d, "m-1", 700, "USD"));
        List<StreamMessage<String, String, String>> taken = List.of();
        for (int i = 0; i < 50 && taken.isEmpty(); i++) {
            taken = streams.xreadgroup(WalletEvents.GROUP, "doomed-" + UUID.randomUUID(), WalletEvents.STREAM, ">",
                    new XReadGroupArgs().count(1));
        }
        if (!taken.isEmpty()) {
            assertTrue(taken.get(0).payload().get("envelope").contains(d), "the doomed consumer took our entry");
        }
        // Whoever got it, it is applied exactly once: by the live consumer, or reclaimed from the dead one.
        Awaitility.await().atMost(WAIT).until(() -> balance(d) == 7);
        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> balance(d) == 7);
    }

    @Test
    void aPoisonEntryIsDeadLetteredAndDoesNotBlockTheStream() {
        String poisonId = redis.stream(String.class).xadd(WalletEvents.STREAM, Map.of("envelope", "{\"version\":1,\"id\":"));
        String d = driver();
        xadd(purchase("stripe", "pi_" + UUID.randomUUID(), d, "m-1", 300, "USD"));
        Awaitility.await().atMost(WAIT).until(() -> balance(d) == 3);
        Awaitility.await().atMost(WAIT).until(() -> redis.stream(String.class)
                .xrange(WalletEvents.STREAM + ".dlq", StreamRange.of("-", "+")).stream()
                .anyMatch(m -> poisonId.equals(m.payload().get("dlq.originalId"))));
        // A well-formed event the wallet can never apply (no amount) is dead-lettered too.
        EventEnvelope bad = purchase("stripe", "pi_bad_" + UUID.randomUUID(), driver(), "m-1", 100, "USD");
        ((com.fasterxml.jackson.databind.node.ObjectNode) bad.data()).remove("amountMinor");
        String badId = xadd(bad);
        Awaitility.await().atMost(WAIT).until(() -> redis.stream(String.class)
                .xrange(WalletEvents.STREAM + ".dlq", StreamRange.of("-", "+")).stream()
                .anyMatch(m -> badId.equals(m.payload().get("dlq.originalId"))));
        assertEquals(0, redis.stream(String.class).xpending(WalletEvents.STREAM, WalletEvents.GROUP).getPendingCount());
    }
}
