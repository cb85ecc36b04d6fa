package com.nova.auction.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.smallrye.mutiny.Uni;

/**
 * TrustedForm's Certificate API v4: {@code POST {base}/{certId}} with HTTP Basic (user {@code API},
 * the API key as password), running {@code match_lead} and {@code retain}. Base:
 * {@code TRUSTEDFORM_API_URL} (https://cert.trustedform.com in production).
 */
@RegisterRestClient(configKey = "trustedform")
@RegisterProvider(ProviderResponses.class)
@Path("/")
public interface TrustedFormClient {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MatchLead(String email, String phone) {
    }

    record Retain(String reference, String vendor) {
    }

    record Request(@JsonProperty("match_lead") MatchLead matchLead, Retain retain) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record MatchResult(Boolean success, @JsonProperty("email_match") Boolean emailMatch,
            @JsonProperty("phone_match") Boolean phoneMatch) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record MatchLeadAnswer(MatchResult result) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Answer(String outcome, String reason, @JsonProperty("match_lead") MatchLeadAnswer matchLead) {

        /** The overall outcome is success and the lead matched the certificate. */
        public boolean passed() {
            return "success".equals(outcome) && matchLead != null && matchLead.result() != null
                    && Boolean.TRUE.equals(matchLead.result().success());
        }
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
    @POST
    @Path("/{certId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ClientHeaderParam(name = "api-version", value = "4.0")
    Uni<Answer> runOperations(@PathParam("certId") String certId, @HeaderParam("Authorization") String authorization,
            Request request);
}
