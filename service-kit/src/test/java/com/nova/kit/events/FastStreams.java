package com.nova.kit.events;

import java.time.Duration;

import com.nova.kit.config.KitConfig;

/** Consumer settings scaled down so that reclaim and dead-lettering happen within a test. */
record FastStreams(int attemptsPerDelivery, int maxDeliveries, Duration claimIdle) implements KitConfig.Streams {

    static FastStreams standard() {
        return new FastStreams(2, 2, Duration.ofMillis(600));
    }

    @Override
    public String consumerName() {
        return "unused";
    }

    @Override
    public Duration block() {
        return Duration.ofMillis(200);
    }

    @Override
    public int batchSize() {
        return 16;
    }

    @Override
    public Duration claimInterval() {
        return Duration.ofMillis(200);
    }

    @Override
    public Duration retryBackoff() {
        return Duration.ofMillis(10);
    }

    @Override
    public Duration retention() {
        return Duration.ofDays(7);
    }

    @Override
    public Duration deadLetterRetention() {
        return Duration.ofDays(30);
    }

    @Override
    public Duration trimInterval() {
        return Duration.ZERO;
    }

    @Override
    public Duration errorBackoff() {
        return Duration.ofMillis(100);
    }
}
