package com.nova.kit.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.nova.kit.KitTest;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

/** Streams are trimmed by age, never past what a consumer group has not acknowledged or read. */
@QuarkusTest
@KitTest
class StreamRetentionTest {

    @Inject
    StreamRetention retention;

    @Inject
    RedisDataSource redis;

    private void cmd(String... args) {
        redis.execute(args[0], java.util.Arrays.copyOfRange(args, 1, args.length));
    }

    private long length(String stream) {
        return redis.execute("XLEN", stream).toLong();
    }

    private long trim(String stream, boolean groups) {
        return Uni.createFrom().item(stream).chain(s -> retention.trim(s, Duration.ofDays(1), groups)).await()
                .atMost(Duration.ofSeconds(10));
    }

    @Test
    void oldEntriesGoButNeverOnesAGroupStillNeeds() {
        String stream = "retention-test-" + UUID.randomUUID();
        for (int i = 0; i < 10; i++) {
            cmd("XADD", stream, (1000 + i) + "-0", "n", Integer.toString(i)); // ancient: far older than a day
        }
        cmd("XGROUP", "CREATE", stream, "done", "0");
        cmd("XREADGROUP", "GROUP", "done", "c1", "COUNT", "10", "STREAMS", stream, ">");
        for (int i = 0; i < 10; i++) {
            cmd("XACK", stream, "done", (1000 + i) + "-0");
        }
        // A slower group: read five, acknowledged three; 1003 and 1004 are pending, 1005.. unread.
        cmd("XGROUP", "CREATE", stream, "slow", "0");
        cmd("XREADGROUP", "GROUP", "slow", "c1", "COUNT", "5", "STREAMS", stream, ">");
        cmd("XACK", stream, "slow", "1000-0", "1001-0", "1002-0");
        // A per-instance cache group that never read anything does not hold entries back.
        cmd("XGROUP", "CREATE", stream, "svc.cache.crashed-pod", "0");

        assertEquals(3, trim(stream, true));
        assertEquals(7, length(stream));
        assertEquals("1003-0", redis.execute("XRANGE", stream, "-", "+", "COUNT", "1").get(0).get(0).toString());

        // The slow group acknowledges 1003/1004 and reads the rest without acknowledging: 1005 holds.
        cmd("XADD", stream, "*", "n", "fresh");
        cmd("XACK", stream, "slow", "1003-0", "1004-0");
        cmd("XREADGROUP", "GROUP", "slow", "c1", "COUNT", "100", "STREAMS", stream, ">");
        assertEquals(2, trim(stream, true));
        assertEquals("1005-0", redis.execute("XRANGE", stream, "-", "+", "COUNT", "1").get(0).get(0).toString());
        // Once it acknowledged everything, all that is older than the retention goes; the fresh entry stays.
        redis.execute("XPENDING", stream, "slow", "-", "+", "100")
                .forEach(p -> cmd("XACK", stream, "slow", p.get(0).toString()));
        assertEquals(5, trim(stream, true));
        assertEquals(1, length(stream), "only the entry newer than the retention is left");
    }

    @Test
    void deadLetterStreamsAreTrimmedByAgeAlone() {
        String dlq = "retention-test-" + UUID.randomUUID() + ".dlq";
        cmd("XADD", dlq, "1000-0", "n", "old");
        cmd("XADD", dlq, "*", "n", "new");
        assertEquals(1, trim(dlq, false));
        assertEquals(1, length(dlq));
    }

    @Test
    void aMissingStreamIsNothingToTrim() {
        assertEquals(0, trim("retention-test-missing-" + UUID.randomUUID(), true));
    }

    @Test
    void streamIdsCompareNumerically() {
        assertEquals(-1, Integer.signum(StreamRetention.compare("999-5", "1000-0")));
        assertEquals(1, Integer.signum(StreamRetention.compare("1000-10", "1000-9")));
        assertEquals(0, StreamRetention.compare("7-7", "7-7"));
    }
}
