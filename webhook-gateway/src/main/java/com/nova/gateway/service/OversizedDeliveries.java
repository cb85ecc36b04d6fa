package com.nova.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.nova.kit.problem.RefusedRequest;
import com.nova.kit.requestid.RequestIds;

import io.micrometer.core.instrument.MeterRegistry;

/** Deliveries too large to read are refused before the REST layer; they are recorded all the same. */
@ApplicationScoped
public class OversizedDeliveries {

    private final RejectionLog rejections;
    private final MeterRegistry metrics;

    public OversizedDeliveries(RejectionLog rejections, MeterRegistry metrics) {
        this.rejections = rejections;
        this.metrics = metrics;
    }

    void onRefused(@Observes RefusedRequest refused) {
        if (refused.status() != 413 || refused.path() == null || !refused.path().startsWith("/webhooks/")) {
            return;
        }
        String provider = providerOf(refused.path());
        metrics.counter("gateway_deliveries_total", "source", provider, "outcome", "rejected", "reason", "too_large")
                .increment();
        String previous = RequestIds.current();
        RequestIds.bind(refused.requestId());
        try {
            rejections.record(provider, new Rejection(Rejection.Reason.TOO_LARGE, "too large"), null,
                    refused.clientIp(), null).subscribe().with(x -> {
                    });
        } finally {
            RequestIds.bind(previous);
        }
    }

    static String providerOf(String path) {
        String rest = path.substring("/webhooks/".length());
        if (rest.startsWith("stripe")) {
            return "stripe";
        }
        if (rest.startsWith("square")) {
            return "square";
        }
        if (rest.startsWith("purchases")) {
            return "purchase";
        }
        return rest.startsWith("buyers/") ? "buyer" : "unknown";
    }
}
