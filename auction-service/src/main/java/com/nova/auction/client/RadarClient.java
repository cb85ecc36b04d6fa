package com.nova.auction.client;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.smallrye.mutiny.Uni;

/** Radar forward geocoding, used to check that a ZIP code exists and lies in the lead's state. Base: {@code RADAR_API_URL}. */
@RegisterRestClient(configKey = "radar")
@RegisterProvider(ProviderResponses.class)
@Path("/v1/geocode")
public interface RadarClient {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Address(String postalCode, String stateCode, String countryCode, String layer) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Answer(List<Address> addresses) {
    }

    @Timeout(2000)
    // A pooled keep-alive connection the other side closed meanwhile is tried again too: the REST client
    // reports it as HttpClosedException or as an IOException "Connection was closed".
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = { ProviderUnavailableException.class,
            org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException.class, jakarta.ws.rs.ProcessingException.class,
            io.vertx.core.http.HttpClosedException.class, java.io.IOException.class })
    // What is retried counts against the breaker too (an exception not listed counts as a success).
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10_000, failOn = { ProviderUnavailableException.class,
            org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException.class, jakarta.ws.rs.ProcessingException.class,
            io.vertx.core.http.HttpClosedException.class, java.io.IOException.class })
    @GET
    @Path("/forward")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Answer> forward(@QueryParam("query") String query, @QueryParam("layers") String layers,
            @QueryParam("country") String country, @HeaderParam("Authorization") String apiKey);
}
