package com.nova.kit.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

/** Presents this service's token on calls to other services' internal endpoints ({@code @RegisterProvider}). */
@ApplicationScoped
public class ServiceTokenClientFilter implements ClientRequestFilter {

    private final ServiceTokens tokens;

    public ServiceTokenClientFilter(ServiceTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void filter(ClientRequestContext request) {
        request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.current());
    }
}
