package com.nova.kit.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nova.kit.requestid.RequestIdFilters;
import com.nova.kit.requestid.RequestIds;

import io.quarkus.logging.Log;
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

    public HttpFailureProblems(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        if (ctx.response().headWritten() || ctx.response().ended()) {
            return;
        }
        int status = statusOf(ctx);
        if (status >= 500) {
            Log.error("Request failed below the REST layer", ctx.failure());
        }
        String requestId = RequestIdFilters.of(ctx);
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
