package com.nova.kit.events;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.nova.kit.background.BackgroundWork;
import com.nova.kit.config.KitConfig;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Response;

/**
 * Keeps every stream this service consumes, and its dead-letter stream, to a bounded length:
 * entries older than {@code kit.streams.retention} go ({@code XTRIM MINID}), but never one a
 * consumer group has not acknowledged or not yet read, whichever service's group it is. Groups
 * named {@code *.cache.*} (one per instance, for cache invalidation) do not hold entries back:
 * a crashed instance's group would otherwise stop trimming for good, and a cache that missed an
 * invalidation expires on its own. Dead-letter entries are kept for {@code dead-letter-retention}.
 */
@ApplicationScoped
public class StreamRetention {

    private final BackgroundWork background;
    private final ReactiveRedisDataSource redis;
    private final KitConfig.Streams config;
    private final Clock clock;
    private final Vertx vertx;
    private final MeterRegistry metrics;
    private final Set<String> streams = new LinkedHashSet<>();

    public StreamRetention(ReactiveRedisDataSource redis, KitConfig kit, Clock clock, Vertx vertx, MeterRegistry metrics,
            BackgroundWork background) {
        this.background = background;
        this.redis = redis;
        this.config = kit.streams();
        this.clock = clock;
        this.vertx = vertx;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        if (config.trimInterval().isZero() || !background.runs(BackgroundWork.STREAM_RETENTION)) {
            return;
        }
        vertx.setPeriodic(config.trimInterval().toMillis(), id -> trimAll().subscribe().with(x -> { },
                e -> Log.warnf("Trimming streams failed: %s", e.toString())));
    }

    /** A stream this service consumes (the kit's consumers register theirs). */
    public synchronized void register(String stream) {
        streams.add(stream);
    }

    synchronized Collection<String> registered() {
        return Set.copyOf(streams);
    }

    /** One pass over every registered stream and its dead-letter stream; yields the entries removed. */
    public Uni<Long> trimAll() {
        Uni<Long> total = Uni.createFrom().item(0L);
        for (String stream : registered()) {
            // One stream's failure must not stop the others from being trimmed.
            total = total.chain(n -> trim(stream, config.retention(), true).map(m -> n + m)
                    .onFailure().recoverWithItem(e -> {
                        Log.warnf("Could not trim %s: %s", stream, e.toString());
                        return n;
                    }))
                    .chain(n -> trim(stream + ".dlq", config.deadLetterRetention(), false).map(m -> n + m)
                            .onFailure().recoverWithItem(n));
        }
        return total;
    }

    /** Trims {@code stream} to entries newer than {@code retention}, holding back what a group still needs. */
    public Uni<Long> trim(String stream, Duration retention, boolean respectGroups) {
        String byAge = (clock.millis() - retention.toMillis()) + "-0";
        Uni<String> floor = respectGroups ? groupsFloor(stream) : Uni.createFrom().item((String) null);
        return floor.chain(needed -> {
            String minId = needed == null || compare(byAge, needed) <= 0 ? byAge : needed;
            return redis.execute("XTRIM", stream, "MINID", minId)
                    .map(r -> r == null ? 0L : r.toLong());
        }).onFailure(e -> e.getMessage() != null && e.getMessage().contains("no such key")).recoverWithItem(0L)
                .invoke(n -> {
                    if (n > 0) {
                        metrics.counter("kit_stream_trimmed_entries_total", "stream", stream).increment(n);
                    }
                });
    }

    /** The oldest id any (non-cache) group still needs: its oldest pending entry, else the one after its last read. */
    Uni<String> groupsFloor(String stream) {
        return redis.execute("XINFO", "GROUPS", stream)
                .onFailure(e -> e.getMessage() != null && e.getMessage().contains("no such key")).recoverWithNull()
                .chain(groups -> {
                    Uni<String> floor = Uni.createFrom().nullItem();
                    if (groups == null) {
                        return floor;
                    }
                    for (Response g : groups) {
                        String name = field(g, "name").toString();
                        if (name.contains(".cache.")) {
                            continue;
                        }
                        long pending = field(g, "pending").toLong();
                        String next = successor(field(g, "last-delivered-id").toString());
                        // The summary's smallest id is nil when the group acknowledged everything meanwhile.
                        Uni<String> needed = pending == 0 ? Uni.createFrom().item(next)
                                : redis.execute("XPENDING", stream, name)
                                        .map(p -> p.get(1) == null ? next : p.get(1).toString());
                        floor = floor.chain(f -> needed.map(n -> f == null || compare(n, f) < 0 ? n : f));
                    }
                    return floor;
                });
    }

    /** A field of an XINFO reply (a map in RESP3, pairs in RESP2: the client reads both by name). */
    private static Response field(Response reply, String name) {
        if (!reply.containsKey(name)) {
            throw new IllegalStateException("XINFO GROUPS answered without " + name);
        }
        return reply.get(name);
    }

    private static String successor(String id) {
        int dash = id.indexOf('-');
        return id.substring(0, dash) + "-" + (Long.parseLong(id.substring(dash + 1)) + 1);
    }

    static int compare(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        int ms = Long.compare(Long.parseLong(a.substring(0, da)), Long.parseLong(b.substring(0, db)));
        return ms != 0 ? ms : Long.compare(Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
    }
}
