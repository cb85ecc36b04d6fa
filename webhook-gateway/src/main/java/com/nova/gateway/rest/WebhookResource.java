package com.nova.gateway.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;

import com.nova.gateway.service.WebhookIntake.Accepted;
import com.nova.gateway.service.WebhookIntake.Delivery;
import com.nova.gateway.service.WebhookIntake;
import com.nova.kit.net.ClientAddresses;
import com.nova.kit.ratelimit.RateLimited;
import com.nova.kit.security.OpenApiAccess;
import com.nova.kit.text.PathPatterns;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Inbound webhooks. They authenticate by signature, not by token; the body is taken as raw bytes
 * and verified byte for byte before anything parses it. The intake's refusals become their
 * problem answers here ({@link WebhookProblems}).
 */
@Path("/webhooks")
@PermitAll
// No token opens these: each names the signature (or shared secret) that does, so the OpenAPI
// document says how every operation is authenticated.
@SecuritySchemes({
        // The bearer token of every other endpoint, declared here too: Quarkus gives @RolesAllowed
        // endpoints the first scheme a document declares, and this one sorts first.
        @SecurityScheme(securitySchemeName = OpenApiAccess.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
                bearerFormat = "JWT", description = "Authentication"),
        @SecurityScheme(securitySchemeName = WebhookResource.STRIPE, type = SecuritySchemeType.APIKEY,
                in = SecuritySchemeIn.HEADER, apiKeyName = "Stripe-Signature",
                description = "Stripe's HMAC-SHA256 signature of the timestamp and raw body"),
        @SecurityScheme(securitySchemeName = WebhookResource.SQUARE, type = SecuritySchemeType.APIKEY,
                in = SecuritySchemeIn.HEADER, apiKeyName = "x-square-hmacsha256-signature",
                description = "Square's HMAC-SHA256 signature of the notification URL and raw body"),
        @SecurityScheme(securitySchemeName = WebhookResource.SQUARE_LEGACY, type = SecuritySchemeType.APIKEY,
                in = SecuritySchemeIn.HEADER, apiKeyName = "x-square-signature",
                description = "Square's legacy HMAC-SHA1 signature, only when GATEWAY_SQUARE_LEGACY_SHA1_ENABLED"),
        @SecurityScheme(securitySchemeName = WebhookResource.SHARED_SECRET, type = SecuritySchemeType.APIKEY,
                in = SecuritySchemeIn.HEADER, apiKeyName = "X-Webhook-Secret",
                description = "A shared secret: the partner hook, and Square where shared secrets are allowed"),
        @SecurityScheme(securitySchemeName = WebhookResource.BUYER, type = SecuritySchemeType.APIKEY,
                in = SecuritySchemeIn.HEADER, apiKeyName = "webhook-signature",
                description = "The buyer's Standard Webhooks signature (webhook-id, webhook-timestamp, raw body)") })
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    // Named to sort after the bearer scheme (OpenApiAccess.BEARER, "SecurityScheme"): see above.
    static final String STRIPE = "WebhookStripeSignature";
    static final String SQUARE = "WebhookSquareSignature";
    static final String SQUARE_LEGACY = "WebhookSquareLegacySignature";
    static final String SHARED_SECRET = "WebhookSharedSecret";
    static final String BUYER = "WebhookBuyerSignature";

    private final WebhookIntake intake;
    private final HttpServerRequest request;
    private final ClientAddresses addresses;

    public WebhookResource(WebhookIntake intake, HttpServerRequest request, ClientAddresses addresses) {
        this.intake = intake;
        this.request = request;
        this.addresses = addresses;
    }

    @POST
    @Path("/stripe")
    @SecurityRequirement(name = STRIPE)
    @RateLimited("webhooks-stripe")
    public Uni<Accepted> stripe(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam("Stripe-Signature") String signature) {
        return intake.stripe(delivery("stripe", body, contentType, null), signature)
                .onFailure().transform(WebhookProblems::of);
    }

    @POST
    @Path("/square")
    @SecurityRequirement(name = SQUARE)
    @SecurityRequirement(name = SQUARE_LEGACY)
    @SecurityRequirement(name = SHARED_SECRET)
    @RateLimited("webhooks-square")
    public Uni<Accepted> square(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam("x-square-hmacsha256-signature") String sha256,
            @HeaderParam("x-square-signature") String sha1,
            @HeaderParam("X-Webhook-Secret") String sharedSecret) {
        return intake.square(delivery("square", body, contentType, null), sha256, sha1, sharedSecret)
                .onFailure().transform(WebhookProblems::of);
    }

    @POST
    @Path("/purchases")
    @SecurityRequirement(name = SHARED_SECRET)
    @RateLimited("webhooks-purchases")
    public Uni<Accepted> purchase(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam("X-Webhook-Secret") String sharedSecret) {
        return intake.purchase(delivery("purchase", body, contentType, null), sharedSecret)
                .onFailure().transform(WebhookProblems::of);
    }

    @POST
    @Path("/buyers/{buyerId}")
    @SecurityRequirement(name = BUYER)
    @RateLimited("webhooks-buyers")
    public Uni<Accepted> buyer(@PathParam("buyerId") String buyerId, byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam("webhook-id") String id,
            @HeaderParam("webhook-timestamp") String timestamp,
            @HeaderParam("webhook-signature") String signature) {
        String buyer = buyerId != null && buyerId.matches(PathPatterns.UUID) ? buyerId.toLowerCase(java.util.Locale.ROOT) : null;
        return intake.buyer(delivery("buyer", body, contentType, buyer), id, timestamp, signature)
                .onFailure().transform(WebhookProblems::of);
    }

    private Delivery delivery(String provider, byte[] body, String contentType, String buyerId) {
        return new Delivery(provider, body == null ? new byte[0] : body, contentType, addresses.of(request), buyerId);
    }
}
