package com.nova.kit.security;


/**
 * Who may call an operation, as every service's OpenAPI document states it (the suite's access
 * matrix is generated from those documents, so each operation must state it):
 * <ul>
 * <li>{@code @RolesAllowed} / {@code @Authenticated} endpoints get {@code security: [{SecurityScheme: [roles]}]}
 * from Quarkus ({@code quarkus.smallrye-openapi.auto-add-security-requirement}, on by default), but
 * only for annotations on the resource class itself: an endpoint inherited from a kit base class
 * names its roles with {@code @SecurityRequirement(name = OpenApiAccess.BEARER, scopes = ...)};</li>
 * <li>{@code @PermitAll} endpoints open to anyone say so with an empty {@code @SecurityRequirementsSet}
 * ({@code security: [{}]});</li>
 * <li>endpoints that authenticate by signature instead of a token name their scheme
 * ({@code @SecurityScheme} of type {@code apiKey}, the header that carries it).</li>
 * </ul>
 */
public final class OpenApiAccess {

    /** The bearer-token (JWT) scheme Quarkus declares ({@code quarkus.smallrye-openapi.security-scheme-name}). */
    public static final String BEARER = "SecurityScheme";

    private OpenApiAccess() {
    }
}
