package com.nova.auction.client;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.nova.kit.requestid.RequestIdClientFilter;
import com.nova.kit.security.ServiceTokenClientFilter;

import io.smallrye.mutiny.Uni;

/** buyer-registry's internal endpoints, called with this service's token. */
@RegisterRestClient(configKey = "buyer-registry")
@RegisterProvider(ServiceTokenClientFilter.class)
@RegisterProvider(RequestIdClientFilter.class)
@RegisterProvider(ProviderResponses.class)
@Path("/internal/buyers")
@Produces(MediaType.APPLICATION_JSON)
public interface BuyerRegistryClient {

    /** A buyer's bidding fields; amounts arrive as decimal strings and are read as BigDecimal. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record EligibleBuyer(UUID id, long registrationSeq, String name, List<String> verticals, List<String> states,
            List<String> zipPrefixes, BigDecimal bidAmount, int priority, Integer dailyCap, Integer monthlyCap,
            BigDecimal dailyBudget, long version) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record EligibleBuyers(List<EligibleBuyer> buyers) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Delivery(UUID buyerId, String status, String deliveryUrl, Map<String, String> authConfig) {
    }

    @Timeout(2000)
    // A pooled keep-alive connection the other side closed meanwhile (HttpClosedException) is tried again too.
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = { ProviderUnavailableException.class,
            org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException.class, jakarta.ws.rs.ProcessingException.class,
            io.vertx.core.http.HttpClosedException.class })
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10_000, failOn = { ProviderUnavailableException.class,
            org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException.class, jakarta.ws.rs.ProcessingException.class })
    @GET
    @Path("/eligible")
    Uni<EligibleBuyers> eligible(@QueryParam("vertical") String vertical);

    @Timeout(2000)
    @GET
    @Path("/{id}/delivery")
    Uni<Delivery> delivery(@PathParam("id") UUID buyerId);
}
