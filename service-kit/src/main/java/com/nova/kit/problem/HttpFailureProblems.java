package com.nova.kit.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nova.kit.requestid.RequestIdFilters;
import com.nova.kit.requestid.RequestIds;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.logging.Log;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Failures raised below the REST layer (body limits, HTTP-level security, unmatched routes) get the
 * same problem+json body as everything else instead of the server's default page.
 */
@ApplicationScoped
public class HttpFailureProblems {

    private final ObjectMapper mapper;
    private final long maxBodyBytes;
    private final Event<RefusedRequest> refused;

    public HttpFailureProblems(ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M") MemorySize maxBodySize,
            Event<RefusedRequest> refused) {
        this.mapper = mapper;
        this.maxBodyBytes = maxBodySize.asLongValue();
        this.refused = refused;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    /** Refuses a declared oversized body before it is read, with a problem body (Vert.x would send none). */
    void limitBodies(@Observes Filters filters) {
        filters.register(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && isOver(length)) {
                ctx.response().headers().set("Connection", "close");
                respond(ctx, 413);
                return;
            }
            ctx.next();
        }, Integer.MAX_VALUE - 20);
    }

    private boolean isOver(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void handle(RoutingContext ctx) {
        if (ctx.response().headWritten() || ctx.response().ended()) {
            return;
        }
        int status = statusOf(ctx);
        if (status >= 500) {
            Log.error("Request failed below the REST layer", ctx.failure());
        }
        respond(ctx, status);
    }

    private void respond(RoutingContext ctx, int status) {
        String requestId = RequestIdFilters.of(ctx);
        if (status == 413) {
            refused.fire(new RefusedRequest(status, ctx.request().path(),
                    ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host(), requestId,
                    declaredLength(ctx.request().getHeader("Content-Length"))));
        }
        Problem problem = new Problem(Problem.type(ProblemResponses.slugFor(status)), ProblemResponses.title(status),
                status, ProblemResponses.defaultDetail(status), ctx.request().path(), requestId, null);
        String body;
        try {
            body = mapper.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + status + "}";
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (requestId != null) {
            ctx.response().putHeader(RequestIds.HEADER, requestId);
        }
        if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        ctx.response().end(body);
    }

    private static Long declaredLength(String header) {
        try {
            return header == null ? null : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int statusOf(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof UnauthorizedException || failure instanceof AuthenticationFailedException) {
            return 401;
        }
        if (failure instanceof ForbiddenException) {
            return 403;
        }
        int status = ctx.statusCode();
        return status >= 400 && status < 600 ? status : 500;
    }
}
