package com.nova.kit.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
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
 * in tokens signed by a service key ({@code kit.service-token.trusted-key-ids}): an identity
 * provider's user token that happens to list {@code service} in its groups gets no peer rights.
 * A service token carries only {@code service} and {@code service:<its name>}, so an endpoint can
 * name which peer may call it.
 */
@ApplicationScoped
public class TokenIdentityAugmentor implements SecurityIdentityAugmentor {

    /** Identity attribute set on identities authenticated by a service token. */
    public static final String SERVICE_TOKEN = "nova.service-token";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> serviceKeyIds;

    public TokenIdentityAugmentor(KitConfig config) {
        this.serviceKeyIds = Set.copyOf(config.serviceToken().trustedKeyIds().orElse(List.of()));
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
        boolean serviceKey = kid != null && serviceKeyIds.contains(kid);
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
