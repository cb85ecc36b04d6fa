package com.nova.wallet.rest;

import java.util.Map;
import java.util.TreeMap;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nova.kit.text.Digests;
import com.nova.wallet.config.WalletConfig;

/**
 * Runtime configuration for the mobile front end, so one build serves every
 * environment: public, cacheable, with an ETag; never a secret.
 */
@Path("/v1/config")
public class ConfigResource {

    /** {@code identity} is null when no identity provider is configured (the app then says sign-in is unavailable). */
    public record FrontendConfig(String apiBaseUrl, Map<String, Boolean> features, Identity identity) {
    }

    public record Identity(String authorizationEndpoint, String tokenEndpoint, String clientId, String scope) {
    }

    private final FrontendConfig config;
    private final String etag;
    private final String json;

    public ConfigResource(WalletConfig wallet, ObjectMapper mapper) throws Exception {
        WalletConfig.Identity idp = wallet.frontend().identity();
        Identity identity = idp.authorizationEndpoint().isPresent() && idp.tokenEndpoint().isPresent()
                ? new Identity(idp.authorizationEndpoint().get(), idp.tokenEndpoint().get(), idp.clientId(), idp.scope())
                : null;
        this.config = new FrontendConfig(wallet.frontend().apiBaseUrl(), new TreeMap<>(wallet.frontend().features()), identity);
        this.json = mapper.writeValueAsString(config);
        this.etag = "\"" + Digests.sha256Hex(json).substring(0, 32) + "\"";
    }

    @GET
    @PermitAll
    @SecurityRequirementsSet // open to anyone (security: [{}]): public front-end configuration
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<String> get(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        if (etag.equals(ifNoneMatch)) {
            return RestResponse.ResponseBuilder.<String>notModified().header(HttpHeaders.ETAG, etag)
                    .header(HttpHeaders.CACHE_CONTROL, "public, max-age=300").build();
        }
        return RestResponse.ResponseBuilder.ok(json).header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=300").build();
    }
}
