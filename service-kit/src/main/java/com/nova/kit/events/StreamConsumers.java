package com.nova.kit.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nova.kit.background.BackgroundWork;
import com.nova.kit.config.KitConfig;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;

/** Starts stream consumers for a service and stops them cleanly at shutdown. */
@ApplicationScoped
public class StreamConsumers {

    private final RedisDataSource redis;
    private final KitConfig config;
    private final ObjectMapper mapper;
    private final MeterRegistry metrics;
    private final OpenTelemetry telemetry;
    private final StreamRetention retention;
    private final BackgroundWork background;
    private final List<StreamConsumer> running = new CopyOnWriteArrayList<>();
    private final List<StreamSubscription> instanceGroups = new CopyOnWriteArrayList<>();

    public StreamConsumers(RedisDataSource redis, KitConfig config, ObjectMapper mapper, MeterRegistry metrics,
            OpenTelemetry telemetry, StreamRetention retention, BackgroundWork background) {
        this.redis = redis;
        this.background = background;
        this.retention = retention;
        this.config = config;
        this.mapper = mapper;
        this.metrics = metrics;
        this.telemetry = telemetry;
    }

    /**
     * Starts a consumer with this instance's name, unless its group is switched off by
     * configuration ({@link BackgroundWork}); then answers null.
     */
    public StreamConsumer subscribe(StreamSubscription subscription) {
        return subscribe(subscription, subscription.group());
    }

    private StreamConsumer subscribe(StreamSubscription subscription, String worker) {
        if (!background.runs(worker)) {
            return null;
        }
        return start(subscription, config.streams().consumerName(), redis, config.streams());
    }

    /**
     * Reads {@code stream} on every instance (cache invalidation): each instance reads in a consumer
     * group of its own, {@code <service>.<purpose>.<consumer name>}, removed again at shutdown (a
     * group shares its entries out, one reader each, so a shared group would tell only one instance).
     */
    public StreamConsumer subscribeEveryInstance(String stream, String groupPrefix, EventHandler handler) {
        String group = groupPrefix + "." + config.streams().consumerName();
        StreamConsumer consumer = subscribe(new StreamSubscription(stream, group, handler), groupPrefix);
        if (consumer != null) {
            instanceGroups.add(new StreamSubscription(stream, group, handler));
        }
        return consumer;
    }

    /** Starts a consumer with explicit name, Redis and settings (tests use it to run competing consumers). */
    public StreamConsumer start(StreamSubscription subscription, String consumerName, RedisDataSource redis,
            KitConfig.Streams settings) {
        StreamConsumer consumer = new StreamConsumer(subscription, consumerName, settings, redis,
                config.redisKeyPrefix(), mapper, metrics, telemetry.getTracer("com.nova.kit.streams"));
        running.add(consumer);
        retention.register(subscription.stream());
        consumer.start();
        Log.infof("Consuming %s as %s/%s", subscription.stream(), subscription.group(), consumerName);
        return consumer;
    }

    void stopAll(@Observes ShutdownEvent event) {
        running.forEach(StreamConsumer::stop);
        running.clear();
        for (StreamSubscription s : instanceGroups) {
            try {
                redis.stream(String.class).xgroupDestroy(s.stream(), s.group());
            } catch (RuntimeException e) {
                Log.debugf("Could not remove consumer group %s: %s", s.group(), e.getMessage());
            }
        }
        instanceGroups.clear();
    }
}
