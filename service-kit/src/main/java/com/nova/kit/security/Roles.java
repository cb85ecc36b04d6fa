package com.nova.kit.security;

/** The roles of the design brief, as they appear in a token's {@code groups} claim. */
public final class Roles {
    public static final String DRIVER = "driver";
    public static final String MERCHANT = "merchant";
    public static final String PUBLISHER = "publisher";
    public static final String BUYER = "buyer";
    public static final String ADMIN = "admin";
    public static final String SERVICE = "service";

    /** A service token names its service ({@code sub}); these roles let an internal endpoint name its callers. */
    public static final String AUCTION_SERVICE = "service:auction-service";
    public static final String WEBHOOK_GATEWAY = "service:webhook-gateway";

    private Roles() {
    }

    public static String service(String name) {
        return SERVICE + ":" + name;
    }
}
