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
            List<String> zipPrefixes, BigDecimal bidAmount, BigDecimal sharedBidAmount, int priority, Integer dailyCap, Integer monthlyCap,
            BigDecimal dailyBudget, Boolean liveBidding, BigDecimal bidFloor, Boolean capsBackOnReturn, String acceptMode,
            long version) {

        /**
         * A registry that does not send the newer fields (an older release) lists static bidders
         * only, whose returns give their caps back (the registry's default).
         */
        public EligibleBuyer {
            liveBidding = Boolean.TRUE.equals(liveBidding);
            capsBackOnReturn = !Boolean.FALSE.equals(capsBackOnReturn);
            acceptMode = "post-accept".equals(acceptMode) ? "post-accept" : "auto";
        }

        /** Offered each lead first: its delivery endpoint accepts or rejects it (the waterfall). */
        public boolean postAccept() {
            return "post-accept".equals(acceptMode);
        }

        /** This buyer with {@code bid} as its bid (a live bid on a ping). */
        public EligibleBuyer bidding(BigDecimal bid) {
            return new EligibleBuyer(id, registrationSeq, name, verticals, states, zipPrefixes, bid, sharedBidAmount, priority, dailyCap, monthlyCap,
                    dailyBudget, liveBidding, bidFloor, capsBackOnReturn, acceptMode, version);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record EligibleBuyers(List<EligibleBuyer> buyers) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Delivery(UUID buyerId, String status, String deliveryUrl, Map<String, String> authConfig) {

        /** Kept in a cache for a while: whatever prints it never prints the credentials. */
        @Override
        public String toString() {
            return "Delivery[buyerId=" + buyerId + ", status=" + status + ", deliveryUrl=" + deliveryUrl + ", authConfig="
                    + (authConfig == null ? null : "{type=" + authConfig.get("type") + ", ...}") + "]";
        }
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

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PingEndpoint(UUID buyerId, String status, String pingUrl, Map<String, String> authConfig, BigDecimal bidFloor) {
    }

    /** A live bidder's endpoint and credentials; a ping waits for it at most its own deadline (the caller's). */
    @GET
    @Path("/{id}/ping-endpoint")
    Uni<PingEndpoint> pingEndpoint(@PathParam("id") UUID buyerId);
}
