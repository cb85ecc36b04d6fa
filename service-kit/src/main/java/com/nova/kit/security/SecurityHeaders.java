package com.nova.kit.security;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;

/**
 * Every answer is data (JSON, problem+json), never a page to render, sniff or frame: each response,
 * from every layer (REST, the problem answers of failures below it, /q/), carries these headers
 * unless it set its own (auction-service's audit viewer sends its page policy, which must stay the
 * only one: a second Content-Security-Policy would be enforced too). HSTS is the TLS-terminating
 * ingress's (ingress-nginx sends it); X-XSS-Protection is obsolete and not sent.
 */
@ApplicationScoped
public class SecurityHeaders {

    static final Map<String, String> DEFAULTS = Map.of(
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");

    void install(@Observes Filters filters) {
        filters.register(ctx -> {
            ctx.addHeadersEndHandler(v -> {
                MultiMap headers = ctx.response().headers();
                DEFAULTS.forEach((name, value) -> {
                    if (!headers.contains(name)) {
                        headers.set(name, value);
                    }
                });
            });
            ctx.next();
        }, Integer.MAX_VALUE - 10);
    }
}
