package com.nova.kit.problem;

/**
 * A request refused below the REST layer (an oversized body, for instance), fired as a CDI event
 * so a service can record it where its own refusals go (the gateway's rejected deliveries).
 */
public record RefusedRequest(int status, String path, String clientIp, String requestId, Long declaredLength) {
}
