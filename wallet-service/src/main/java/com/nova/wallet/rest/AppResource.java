package com.nova.wallet.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.jboss.resteasy.reactive.RestResponse;

import com.nova.kit.problem.ProblemException;
import com.nova.wallet.app.DriverApp;

/**
 * The driver's web app: the page, never cached (it names the current release's assets), and the
 * assets under digest names, cached for a year. Both carry the page's security headers.
 */
@Path("/app")
public class AppResource {

    private final DriverApp app;

    public AppResource(DriverApp app) {
        this.app = app;
    }

    @GET
    @PermitAll
    @SecurityRequirementsSet // open to anyone (security: [{}]): the page holds no data; the API calls it makes are authenticated
    @Produces(MediaType.TEXT_HTML)
    public RestResponse<String> page() {
        return secured(RestResponse.ResponseBuilder.ok(app.page(), MediaType.TEXT_HTML_TYPE.withCharset("utf-8")))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    @GET
    @Path("/assets/{name: [A-Za-z0-9.\\-]{1,80}}")
    @PermitAll
    @Operation(hidden = true) // the page's own files, not an API
    public RestResponse<byte[]> asset(@PathParam("name") String name) {
        DriverApp.Asset asset = app.asset(name)
                .orElseThrow(() -> new ProblemException(404, "not-found", "No such asset in this release"));
        return secured(RestResponse.ResponseBuilder.ok(asset.bytes(), asset.mediaType()))
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable").build();
    }

    private <T> RestResponse.ResponseBuilder<T> secured(RestResponse.ResponseBuilder<T> response) {
        return response.header("Content-Security-Policy", app.policy())
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cross-Origin-Opener-Policy", "same-origin")
                .header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    }
}
