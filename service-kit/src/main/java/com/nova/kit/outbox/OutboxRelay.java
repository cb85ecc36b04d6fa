package com.nova.kit.outbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.nova.kit.background.BackgroundWork;
import com.nova.kit.config.KitConfig;
import com.nova.kit.events.EventPublisher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Moves committed outbox rows to their Redis streams in id order, then deletes them, in one
 * database transaction whose rows are locked with {@code SKIP LOCKED}: several instances relay in
 * parallel without publishing a row twice, and a row whose XADD failed stays for the next pass.
 */
@ApplicationScoped
public class OutboxRelay {

    private final Pool pool;
    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final KitConfig.Outbox config;
    private final boolean enabled;
    private final AtomicBoolean running = new AtomicBoolean();
    private final Counter published;
    private final Counter failures;
    private volatile long timer = -1;

    public OutboxRelay(Pool pool, ReactiveRedisDataSource redis, Vertx vertx, KitConfig config, MeterRegistry metrics,
            BackgroundWork background) {
        this.pool = pool;
        this.redis = redis;
        this.vertx = vertx;
        this.config = config.outbox();
        this.enabled = background.runs(BackgroundWork.OUTBOX_RELAY);
        this.published = Counter.builder("kit_outbox_published_total")
                .description("Outbox events moved to their stream").register(metrics);
        this.failures = Counter.builder("kit_outbox_relay_failures_total")
                .description("Relay passes that failed and left their events for the next pass").register(metrics);
    }

    void start(@Observes StartupEvent event) {
        if (enabled) {
            timer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> poke());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Starts a pass now unless one is running; callers use it right after a commit. */
    public void poke() {
        if (!enabled || !running.compareAndSet(false, true)) {
            return;
        }
        relayAll().subscribe().with(n -> running.set(false), e -> {
            running.set(false);
            failures.increment();
            Log.warnf("Outbox relay pass failed; its events stay for the next pass: %s", e.getMessage());
        });
    }

    /** Relays batches until the outbox is empty; yields how many events were published. */
    public Uni<Integer> relayAll() {
        return relayBatch().chain(n -> n < config.batchSize() ? Uni.createFrom().item(n)
                : relayAll().map(more -> n + more));
    }

    /** One batch in one transaction; yields how many events it published. */
    public Uni<Integer> relayBatch() {
        return relayBatch(redis);
    }

    /** One batch to the given Redis (tests aim it at a Redis they stop and start). */
    public Uni<Integer> relayBatch(ReactiveRedisDataSource target) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("select id, stream, event_id, event_type, envelope from outbox order by id limit $1 for update skip locked")
                .execute(Tuple.of(config.batchSize()))
                .chain(rows -> {
                    List<Row> batch = new ArrayList<>();
                    rows.forEach(batch::add);
                    if (batch.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return Multi.createFrom().iterable(batch)
                            .onItem().transformToUniAndConcatenate(row -> xadd(target, row))
                            .collect().asList()
                            .chain(ids -> delete(conn, ids))
                            .invoke(() -> published.increment(batch.size()))
                            .replaceWith(batch.size());
                }));
    }

    private static Uni<Long> xadd(ReactiveRedisDataSource target, Row row) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(EventPublisher.FIELD_ID, row.getString("event_id"));
        fields.put(EventPublisher.FIELD_TYPE, row.getString("event_type"));
        fields.put(EventPublisher.FIELD_ENVELOPE, row.getString("envelope"));
        return target.stream(String.class).xadd(row.getString("stream"), fields).replaceWith(row.getLong("id"));
    }

    private static Uni<Void> delete(SqlConnection conn, List<Long> ids) {
        return conn.preparedQuery("delete from outbox where id = any($1)")
                .execute(Tuple.of(ids.toArray(new Long[0])))
                .replaceWithVoid();
    }
}
