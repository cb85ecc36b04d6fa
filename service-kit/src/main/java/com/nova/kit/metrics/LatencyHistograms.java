package com.nova.kit.metrics;

import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/** Publishes latency histograms (not only averages) so p50/p99 and SLO alerts can be computed. */
@Singleton
public class LatencyHistograms {

    @Produces
    @Singleton
    public MeterFilter httpHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().startsWith("http.server.requests") || id.getName().startsWith("http.client.requests")
                        || id.getName().startsWith("nova.")) {
                    return DistributionStatisticConfig.builder()
                            .percentilesHistogram(true)
                            .build()
                            .merge(config);
                }
                return config;
            }
        };
    }

    /**
     * Every meter carries {@code application} (the service's name), so alerts and dashboards group
     * by service whatever labels the scraper adds (deploy/observability).
     */
    @Produces
    @Singleton
    public MeterFilter applicationTag(@ConfigProperty(name = "quarkus.application.name") String application) {
        return MeterFilter.commonTags(Tags.of("application", application));
    }
}
