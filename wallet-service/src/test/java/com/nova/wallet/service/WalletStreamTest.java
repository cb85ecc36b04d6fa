package com.nova.wallet.service;

import static com.nova.wallet.WalletFixtures.balance;
import static com.nova.wallet.WalletFixtures.driver;
import static com.nova.wallet.WalletFixtures.purchase;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.nova.kit.events.EventContract;
import com.nova.kit.events.EventEnvelope;
import com.nova.kit.events.EventPublisher;
import com.nova.wallet.WalletTest;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.test.junit.QuarkusTest;

/** The running consumer of wallet.events against the real Redis: applied once, reclaimed, dead-lettered. */
@QuarkusTest
@WalletTest
class WalletStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    RedisDataSource redis;

    @Inject
    EventPublisher publisher;

    private String xadd(EventEnvelope e) {
        return redis.stream(String.class).xadd(EventContract.Streams.WALLET, publisher.fields(e));
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
        // A stream of its own, so the doomed consumer surely reads the entry first; the heir runs the
        // wallet's real handler with the service's stream settings (claim-idle 2 s in tests).
        String stream = "wallet.events.reclaim-" + UUID.randomUUID();
        var streams = redis.stream(String.class, String.class, String.class);
        String d = driver();
        streams.xadd(stream, publisher.fields(purchase("stripe", "pi_" + UUID.randomUUID(), d, "m-1", 700, "USD")));
        streams.xgroupCreate(stream, "g", "0", new XGroupCreateArgs().mkstream());
        List<StreamMessage<String, String, String>> taken = streams.xreadgroup("g", "doomed", stream, ">",
                new XReadGroupArgs().count(1));
        assertEquals(1, taken.size(), "the doomed consumer holds the entry, unacknowledged");
        assertEquals(0, balance(d));

        var heir = consumers.start(new com.nova.kit.events.StreamSubscription(stream, "g", grants::apply), "heir", redis,
                kit.streams());
        try {
            Awaitility.await().atMost(WAIT).until(() -> balance(d) == 7 && streams.xpending(stream, "g").getPendingCount() == 0);
            Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> balance(d) == 7);
        } finally {
            heir.stop();
        }
    }

    @Inject
    com.nova.kit.events.StreamConsumers consumers;

    @Inject
    com.nova.wallet.service.GrantService grants;

    @Inject
    com.nova.kit.config.KitConfig kit;

    @Test
    void aPoisonEntryIsDeadLetteredAndDoesNotBlockTheStream() {
        String poisonId = redis.stream(String.class).xadd(EventContract.Streams.WALLET, Map.of("envelope", "{\"version\":1,\"id\":"));
        String d = driver();
        xadd(purchase("stripe", "pi_" + UUID.randomUUID(), d, "m-1", 300, "USD"));
        Awaitility.await().atMost(WAIT).until(() -> balance(d) == 3);
        Awaitility.await().atMost(WAIT).until(() -> redis.stream(String.class)
                .xrange(EventContract.Streams.WALLET + ".dlq", StreamRange.of("-", "+")).stream()
                .anyMatch(m -> poisonId.equals(m.payload().get("dlq.originalId"))));
        // A well-formed event the wallet can never apply (no amount) is dead-lettered too.
        EventEnvelope bad = purchase("stripe", "pi_bad_" + UUID.randomUUID(), driver(), "m-1", 100, "USD");
        ((com.fasterxml.jackson.databind.node.ObjectNode) bad.data()).remove("amountMinor");
        String badId = xadd(bad);
        Awaitility.await().atMost(WAIT).until(() -> redis.stream(String.class)
                .xrange(EventContract.Streams.WALLET + ".dlq", StreamRange.of("-", "+")).stream()
                .anyMatch(m -> badId.equals(m.payload().get("dlq.originalId"))));
        assertEquals(0, redis.stream(String.class).xpending(EventContract.Streams.WALLET, WalletEvents.GROUP).getPendingCount());
    }
}
