package com.nova.gateway.client;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.nova.kit.requestid.RequestIdClientFilter;
import com.nova.kit.security.ServiceTokenClientFilter;

import io.smallrye.mutiny.Uni;

/** buyer-registry's internal endpoint for the secrets a buyer signs its outcome webhooks with. */
@RegisterRestClient(configKey = "buyer-registry")
@RegisterProvider(ServiceTokenClientFilter.class)
@RegisterProvider(RequestIdClientFilter.class)
@Path("/internal/buyers")
@Produces(MediaType.APPLICATION_JSON)
public interface BuyerRegistryClient {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Secret(String secret) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record WebhookSecrets(String buyerId, String status, List<Secret> secrets) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record BuyerIds(List<java.util.UUID> ids) {
    }

    @GET
    @Path("/ids")
    @Timeout(5000)
    Uni<BuyerIds> buyerIds();

    @GET
    @Path("/{id}/webhook-secrets")
    @Timeout(2000)
    Uni<WebhookSecrets> webhookSecrets(@PathParam("id") String buyerId);
}
