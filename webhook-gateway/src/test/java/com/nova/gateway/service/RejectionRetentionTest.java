package com.nova.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.nova.gateway.GatewayTest;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Records of rejected deliveries older than the retention (30 days) are deleted; newer ones stay. */
@QuarkusTest
@GatewayTest
class RejectionRetentionTest {

    @Inject
    RejectionRetention retention;

    @Inject
    Pool pool;

    private long count(String marker) {
        return pool.preparedQuery("select count(*) from rejected_delivery where event_id like $1")
                .execute(Tuple.of(marker + "%")).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }

    @Test
    void recordsPastTheRetentionAreDeletedInBatches() {
        String marker = "retention-" + UUID.randomUUID();
        pool.preparedQuery("""
                insert into rejected_delivery (received_at, provider, reason, event_id)
                select now() - interval '31 days' - (n || ' seconds')::interval, 'stripe', 'bad_signature', $1 || '-old-' || n
                from generate_series(1, 2500) n
                """).execute(Tuple.of(marker)).await().atMost(Duration.ofSeconds(10));
        pool.preparedQuery("""
                insert into rejected_delivery (received_at, provider, reason, event_id)
                values (now() - interval '29 days', 'stripe', 'bad_signature', $1 || '-recent')
                """).execute(Tuple.of(marker)).await().atMost(Duration.ofSeconds(5));
        long purged = retention.purge().await().atMost(Duration.ofSeconds(30));
        assertTrue(purged >= 2500, "more than one batch of old records went: " + purged);
        assertEquals(0, count(marker + "-old-"));
        assertEquals(1, count(marker + "-recent"));
    }
}
