package com.nova.buyers.service;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.buyers.config.BuyersConfig;
import com.nova.kit.net.PublicAddresses;
import com.nova.kit.problem.ProblemException;

/**
 * What a delivery URL may be. In prod: {@code https} only, and every address the host resolves to
 * must be public, so a buyer record cannot make our delivery worker call into our own network
 * (SSRF). The delivery worker must check the address again when it connects (DNS can change), with the same {@link PublicAddresses} policy.
 */
@ApplicationScoped
public class DeliveryUrlPolicy {

    private final BuyersConfig.DeliveryUrl config;

    public DeliveryUrlPolicy(BuyersConfig config) {
        this.config = config.deliveryUrl();
    }

    /** The normalized URL, or a 400 problem naming {@code deliveryUrl}. Resolves DNS: call off the event loop. */
    public String check(String raw) {
        return check(raw, "deliveryUrl");
    }

    /** The same policy for another URL of a buyer's we call (its live-bidding {@code pingUrl}); the problem names {@code field}. */
    public String check(String raw, String field) {
        URI uri;
        try {
            uri = new URI(raw.trim()).normalize();
        } catch (URISyntaxException e) {
            throw ProblemException.invalidField(field, "must be an absolute http(s) URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw ProblemException.invalidField(field, "must be an absolute http(s) URL");
        }
        if (config.requireHttps() && !scheme.equals("https")) {
            throw ProblemException.invalidField(field, "must use https");
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw ProblemException.invalidField(field, "must not carry user info or a fragment; credentials belong in " + (field.equals("pingUrl") ? "pingAuthConfig" : "authConfig"));
        }
        if (!config.allowPrivateNetwork()) {
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(uri.getHost());
            } catch (UnknownHostException e) {
                throw ProblemException.invalidField(field, "host does not resolve");
            }
            for (InetAddress address : addresses) {
                if (!PublicAddresses.isPublic(address)) {
                    throw ProblemException.invalidField(field,
                            "must not point at a loopback, private, link-local or otherwise non-public address");
                }
            }
        }
        return uri.toString();
    }
}
