package com.nova.kit.problem;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Error statuses the REST layer answers without an exception (415 from content negotiation, for
 * instance) get a problem body too, so no client ever sees an empty error.
 */
public class EmptyErrorResponses {

    @ServerResponseFilter
    public void fill(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status < 400 || response.hasEntity()) {
            return;
        }
        Problem problem = ProblemResponses.problem(status, ProblemResponses.slugFor(status),
                ProblemResponses.defaultDetail(status), request.getUriInfo().getRequestUri().getRawPath(), null);
        response.setEntity(problem, null, MediaType.valueOf(Problem.MEDIA_TYPE));
    }
}
