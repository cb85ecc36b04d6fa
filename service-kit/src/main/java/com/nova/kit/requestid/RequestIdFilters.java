package com.nova.kit.requestid;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;

/**
 * Accepts or generates the request id before anything else runs (authentication, body limits,
 * routing), so that every response, errors included, carries it.
 */
@ApplicationScoped
public class RequestIdFilters {

    /** Key under which the id is kept on the routing context. */
    public static final String CONTEXT_KEY = "nova.requestId";

    /** Runs first of all HTTP filters. */
    private static final int FIRST = Integer.MAX_VALUE - 10;

    void register(@Observes Filters filters) {
        filters.register(this::assign, FIRST);
    }

    private void assign(RoutingContext ctx) {
        String id = RequestIds.acceptOrGenerate(ctx.request().getHeader(RequestIds.HEADER));
        ctx.put(CONTEXT_KEY, id);
        RequestIds.bind(id);
        ctx.response().putHeader(RequestIds.HEADER, id);
        ctx.next();
    }

    /** Re-binds the MDC on the context the REST layer runs on, so reactive continuations keep it. */
    @ServerRequestFilter(preMatching = true, priority = 1)
    public void bindToRestContext(ContainerRequestContext request, RoutingContext ctx) {
        String id = ctx.get(CONTEXT_KEY);
        if (id == null) {
            id = RequestIds.acceptOrGenerate(request.getHeaderString(RequestIds.HEADER));
            ctx.put(CONTEXT_KEY, id);
            ctx.response().putHeader(RequestIds.HEADER, id);
        }
        RequestIds.bind(id);
    }

    public static String of(RoutingContext ctx) {
        String id = ctx == null ? null : ctx.get(CONTEXT_KEY);
        return id != null ? id : RequestIds.current();
    }
}
