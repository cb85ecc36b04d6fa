package com.nova.kit.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nova.kit.config.KitConfig;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Turns a verified token into the identity every service decides with. The principal is the
 * token's {@code sub} (a token without one is refused). The {@code service} role is honoured only
 * in tokens signed by a service's own key ({@code kit.service-token.trusted-keys}, service=kid):
 * an identity provider's user token that happens to list {@code service} in its groups gets no
 * peer rights, and a token whose {@code sub} is not the service its key belongs to is refused, so
 * one peer cannot speak for another. A service token carries only {@code service} and
 * {@code service:<its name>}, so an endpoint can name which peer may call it.
 */
@ApplicationScoped
public class TokenIdentityAugmentor implements SecurityIdentityAugmentor {

    /** Identity attribute set on identities authenticated by a service token. */
    public static final String SERVICE_TOKEN = "nova.service-token";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** kid → the service whose key it is. */
    private final Map<String, String> serviceKeys = new HashMap<>();

    public TokenIdentityAugmentor(KitConfig config) {
        for (String pair : config.serviceToken().trustedKeys().orElse(List.of())) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new IllegalArgumentException("kit.service-token.trusted-keys: expected service=kid, got " + pair);
            }
            serviceKeys.put(pair.substring(eq + 1).trim(), pair.substring(0, eq).trim());
        }
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        String subject = jwt.getSubject();
        if (subject == null || subject.isBlank()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("the token has no subject"));
        }
        String kid = keyIdOf(jwt.getRawToken());
        String keyOwner = kid == null ? null : serviceKeys.get(kid);
        boolean serviceKey = keyOwner != null;
        if (serviceKey && !keyOwner.equals(subject)) {
            return Uni.createFrom().failure(new AuthenticationFailedException("a service key signed for another service"));
        }
        Set<String> roles = new HashSet<>();
        if (serviceKey) {
            if (identity.hasRole(Roles.SERVICE)) {
                roles.add(Roles.SERVICE);
                roles.add(Roles.service(subject));
            }
        } else {
            for (String role : identity.getRoles()) {
                if (!role.equals(Roles.SERVICE) && !role.startsWith(Roles.SERVICE + ":")) {
                    roles.add(role);
                }
            }
        }
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(new SubjectPrincipal(jwt))
                .addRoles(roles)
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addPermissionChecker(identity::checkPermission);
        if (serviceKey) {
            builder.addAttribute(SERVICE_TOKEN, subject);
        }
        return Uni.createFrom().item(builder.build());
    }

    /** The {@code kid} of a compact JWS, read from its (already verified) header. */
    static String keyIdOf(String rawToken) {
        if (rawToken == null) {
            return null;
        }
        int dot = rawToken.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            JsonNode header = JSON.readTree(new String(Base64.getUrlDecoder().decode(rawToken.substring(0, dot)),
                    StandardCharsets.UTF_8));
            JsonNode kid = header.get("kid");
            return kid != null && kid.isTextual() ? kid.asText() : null;
        } catch (Exception e) {
            return null;
        }
    }
}
