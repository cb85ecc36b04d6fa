package com.nova.kit.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nova.kit.config.KitConfig;
import com.nova.kit.requestid.RequestIds;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import io.quarkus.redis.datasource.stream.ClaimedMessages;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.redis.client.Response;

import org.jboss.logging.MDC;

/**
 * One consumer of one consumer group, on its own thread. It reads new entries, hands each to the
 * handler on a Vert.x context (so the handler can open a reactive transaction), acknowledges only
 * after the handler's Uni completed, reclaims entries left pending by dead or failed consumers
 * (XAUTOCLAIM), retries with backoff, and moves an entry to {@code <stream>.dlq} after it failed
 * {@code max-deliveries} deliveries or is poison. A delivery that failed only because PostgreSQL or
 * Redis was unavailable does not count: an outage delays entries, it never parks them. Redis errors
 * pause the loop; they never end it.
 */
public final class StreamConsumer {

    private final StreamSubscription subscription;
    private final String consumerName;
    private final KitConfig.Streams config;
    private final StreamCommands<String, String, String> streams;
    private final HashCommands<String, String, Long> failures;
    private final RedisDataSource redis;
    private final ObjectMapper mapper;
    private final MeterRegistry metrics;
    private final Tracer tracer;
    private final String failureKey;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong lag = new AtomicLong();
    private final Thread thread;
    /** Handlers of a concurrent subscription, and the permits bounding what is in hand. */
    private final ExecutorService workers;
    private final Semaphore permits;
    private volatile boolean running = true;
    private volatile boolean groupReady;

    StreamConsumer(StreamSubscription subscription, String consumerName, KitConfig.Streams config,
            RedisDataSource redis, String keyPrefix, ObjectMapper mapper, MeterRegistry metrics, Tracer tracer) {
        this.subscription = subscription;
        this.consumerName = consumerName;
        this.config = config;
        this.redis = redis;
        this.streams = redis.stream(String.class, String.class, String.class);
        this.failures = redis.hash(String.class, String.class, Long.class);
        this.mapper = mapper;
        this.metrics = metrics;
        this.tracer = tracer;
        this.failureKey = keyPrefix + ":stream-failures:" + subscription.stream() + ":" + subscription.group();
        Tags tags = Tags.of("stream", subscription.stream(), "group", subscription.group());
        metrics.gauge("kit.stream.pending", tags, pending);
        metrics.gauge("kit.stream.lag", tags, lag);
        this.thread = new Thread(this::run, "stream-" + subscription.stream() + "-" + subscription.group());
        this.thread.setDaemon(true);
        if (subscription.concurrency() > 1) {
            AtomicLong n = new AtomicLong();
            this.workers = Executors.newFixedThreadPool(subscription.concurrency(), r -> {
                Thread t = new Thread(r, "stream-" + subscription.stream() + "-" + subscription.group() + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.permits = new Semaphore(subscription.concurrency());
        } else {
            this.workers = null;
            this.permits = null;
        }
    }

    void start() {
        thread.start();
    }

    /** Stops after the current entry; an entry being handled is finished and acknowledged first. */
    public void stop() {
        running = false;
        try {
            thread.join(config.block().toMillis() + 5_000);
            if (workers != null) {
                workers.shutdown();
                workers.awaitTermination(config.block().toMillis() + 5_000, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops at once without acknowledging what is in hand, as a crashed process would. */
    public void kill() {
        running = false;
        thread.interrupt();
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    public String consumerName() {
        return consumerName;
    }

    private void run() {
        // A concurrent subscription reads no more ahead than it can have in hand.
        int readCount = workers == null ? config.batchSize() : Math.min(config.batchSize(), subscription.concurrency());
        long errorPause = config.errorBackoff().toMillis();
        long nextClaim = 0;
        while (running) {
            try {
                ensureGroup();
                if (System.currentTimeMillis() >= nextClaim) {
                    reclaim();
                    refreshGauges();
                    nextClaim = System.currentTimeMillis() + config.claimInterval().toMillis();
                }
                List<StreamMessage<String, String, String>> batch = streams.xreadgroup(subscription.group(),
                        consumerName, subscription.stream(), ">",
                        new XReadGroupArgs().count(readCount).block(config.block()));
                for (StreamMessage<String, String, String> message : batch) {
                    if (!running) {
                        return;
                    }
                    dispatch(message, false);
                }
                errorPause = config.errorBackoff().toMillis();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                    groupReady = false;
                }
                metrics.counter("kit.stream.errors", "stream", subscription.stream(), "group", subscription.group())
                        .increment();
                Log.warnf("Stream %s/%s: Redis error, retrying in %d ms: %s", subscription.stream(),
                        subscription.group(), errorPause, e.getMessage());
                pause(errorPause);
                errorPause = Math.min(errorPause * 2, config.errorBackoff().toMillis() * 10);
            }
        }
    }

    private void ensureGroup() {
        if (groupReady) {
            return;
        }
        try {
            streams.xgroupCreate(subscription.stream(), subscription.group(), "0", new XGroupCreateArgs().mkstream());
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("BUSYGROUP")) {
                throw e;
            }
        }
        groupReady = true;
    }

    /** Takes over entries idle longer than claim-idle: their consumer died or gave up on them. */
    private void reclaim() {
        String cursor = "0-0";
        int rounds = 0;
        do {
            ClaimedMessages<String, String, String> claimed = streams.xautoclaim(subscription.stream(),
                    subscription.group(), consumerName, config.claimIdle(), cursor, config.batchSize());
            for (StreamMessage<String, String, String> message : claimed.getMessages()) {
                if (!running) {
                    return;
                }
                metrics.counter("kit.stream.reclaimed", "stream", subscription.stream(), "group", subscription.group())
                        .increment();
                dispatch(message, true);
            }
            cursor = claimed.getId();
        } while (running && cursor != null && !"0-0".equals(cursor) && ++rounds < 100);
    }

    /**
     * Handles the entry here (one at a time), or on a worker once one is free (a concurrent
     * subscription): waiting for a permit is the back-pressure that stops reading ahead.
     */
    private void dispatch(StreamMessage<String, String, String> message, boolean redelivered) {
        if (workers == null) {
            process(message, redelivered);
            return;
        }
        permits.acquireUninterruptibly();
        try {
            workers.execute(() -> {
                try {
                    process(message, redelivered);
                } catch (RuntimeException e) {
                    // Left unacknowledged: reclaimed and retried after claim-idle.
                    Log.warnf("Stream %s/%s: entry %s not handled: %s", subscription.stream(), subscription.group(),
                            message.id(), e.getMessage());
                } finally {
                    permits.release();
                }
            });
        } catch (RejectedExecutionException e) {
            permits.release(); // stopping: the entry stays pending and is reclaimed later
        }
    }

    /** {@code redelivered}: the entry came back through a reclaim, so it may carry a failure count. */
    private void process(StreamMessage<String, String, String> message, boolean redelivered) {
        EventEnvelope envelope;
        try {
            envelope = parse(message);
        } catch (PoisonEventException e) {
            deadLetter(message, "malformed: " + e.getMessage());
            return;
        }
        // What this thread logs about the entry (a failed attempt, a dead letter) carries the entry's
        // request id and, once an attempt's span exists, its trace, like the handler's own lines: the
        // handler runs on a Vert.x context of its own, whose MDC this thread does not see.
        RequestIds.bind(requestIdOf(envelope));
        try {
            attempt(message, envelope, redelivered);
        } finally {
            RequestIds.bind(null);
            MDC.remove(MDC_TRACE_ID);
            MDC.remove(MDC_SPAN_ID);
        }
    }

    /** The MDC keys Quarkus' OpenTelemetry support uses for the current span, so every line names its trace alike. */
    static final String MDC_TRACE_ID = "traceId", MDC_SPAN_ID = "spanId";

    private static String requestIdOf(EventEnvelope envelope) {
        return envelope.requestId() != null ? envelope.requestId() : envelope.id();
    }

    private void attempt(StreamMessage<String, String, String> message, EventEnvelope envelope, boolean redelivered) {
        long backoff = config.retryBackoff().toMillis();
        boolean unavailable = false;
        for (int attempt = 1; attempt <= config.attemptsPerDelivery(); attempt++) {
            if (!running) {
                return;
            }
            try {
                handle(envelope);
                streams.xack(subscription.stream(), subscription.group(), message.id());
                if (redelivered) {
                    failures.hdel(failureKey, message.id());
                }
                count("applied");
                return;
            } catch (PoisonEventException e) {
                deadLetter(message, "poison: " + e.getMessage());
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                // One outage within the delivery is enough: the attempts after it may fail only
                // because of what the first one left behind (a delivery's claim still running).
                unavailable |= isUnavailable(e);
                Log.warnf(e, "Stream %s/%s: entry %s failed (attempt %d of %d)%s", subscription.stream(),
                        subscription.group(), message.id(), attempt, config.attemptsPerDelivery(),
                        unavailable ? ", a store was unavailable: left pending, not counted toward the dead-letter stream" : "");
                if (attempt < config.attemptsPerDelivery()) {
                    pause(backoff);
                    backoff *= 2;
                }
            }
        }
        if (unavailable) {
            // The entry is fine, a store was not: it stays pending and is reclaimed after claim-idle,
            // however long the outage lasts. Only failures of the entry itself lead to the dead-letter stream.
            count("deferred");
            return;
        }
        long failed = failures.hincrby(failureKey, message.id(), 1);
        count("failed");
        if (failed >= config.maxDeliveries()) {
            deadLetter(message, "failed " + failed + " deliveries");
        }
    }

    /**
     * The handler failed because PostgreSQL or Redis could not serve it right now (no pooled
     * connection in time, the connection lost or refused), not because of the entry: the same
     * entry succeeds once they can. A rolled-back transaction (statement timeout, deadlock) still
     * counts: one entry can cause that every time, and it must reach the dead-letter stream.
     * (The connection checks also match an HTTP client's pool or socket; handlers turn their
     * outbound HTTP failures into results of their own, so only stores reach this.)
     */
    static boolean isUnavailable(Throwable e) {
        return com.nova.kit.sql.BoundedPool.isExhausted(e) || com.nova.kit.sql.Transactions.isConnectionLost(e);
    }

    private void handle(EventEnvelope envelope) {
        // One span per attempt, a child of the producer's span (the envelope's traceparent).
        Span span = tracer.spanBuilder("consume " + subscription.stream())
                .setParent(TraceContext.parentOf(envelope.traceparent()))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "redis")
                .setAttribute("messaging.destination.name", subscription.stream())
                .setAttribute("messaging.message.id", envelope.id())
                .startSpan();
        SpanContext traced = span.getSpanContext();
        if (traced.isValid()) {
            MDC.put(MDC_TRACE_ID, traced.getTraceId());
            MDC.put(MDC_SPAN_ID, traced.getSpanId());
        }
        try {
            VertxContextSupport.subscribeAndAwait(() -> {
                RequestIds.bind(requestIdOf(envelope));
                Scope scope = span.makeCurrent();
                return subscription.handler().handle(envelope)
                        .onTermination().invoke(() -> {
                            scope.close();
                            span.end();
                        });
            });
        } catch (Throwable e) {
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e);
        }
    }

    private EventEnvelope parse(StreamMessage<String, String, String> message) {
        String json = message.payload() == null ? null : message.payload().get(EventPublisher.FIELD_ENVELOPE);
        if (json == null) {
            throw new PoisonEventException("entry has no envelope field");
        }
        try {
            return mapper.readValue(json, EventEnvelope.class).requireValid();
        } catch (PoisonEventException e) {
            throw e;
        } catch (Exception e) {
            throw new PoisonEventException("envelope is not valid JSON of the contract");
        }
    }

    private void deadLetter(StreamMessage<String, String, String> message, String reason) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (message.payload() != null) {
            fields.putAll(message.payload());
        }
        fields.put("dlq.originalId", message.id());
        fields.put("dlq.group", subscription.group());
        fields.put("dlq.reason", reason);
        fields.put("dlq.failedAt", Instant.now().toString());
        streams.xadd(subscription.deadLetterStream(), fields);
        streams.xack(subscription.stream(), subscription.group(), message.id());
        failures.hdel(failureKey, message.id());
        count("dead-lettered");
        metrics.counter("kit.stream.dead.lettered", "stream", subscription.stream(), "group", subscription.group())
                .increment();
        Log.errorf("Stream %s/%s: entry %s moved to %s (%s)", subscription.stream(), subscription.group(),
                message.id(), subscription.deadLetterStream(), reason);
    }

    private void refreshGauges() {
        pending.set(streams.xpending(subscription.stream(), subscription.group()).getPendingCount());
        Response groups = redis.execute("XINFO", "GROUPS", subscription.stream());
        if (groups == null) {
            return;
        }
        for (Response group : groups) {
            if (subscription.group().equals(field(group, "name"))) {
                String value = field(group, "lag");
                lag.set(value == null ? 0 : Long.parseLong(value));
            }
        }
    }

    private static String field(Response group, String name) {
        if (group.containsKey(name)) {
            Response value = group.get(name);
            return value == null ? null : value.toString();
        }
        return null;
    }

    private void count(String outcome) {
        metrics.counter("kit.stream.entries", "stream", subscription.stream(), "group", subscription.group(),
                "outcome", outcome).increment();
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
