package com.nova.buyers.service;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.buyers.config.BuyersConfig;
import com.nova.kit.problem.ProblemException;

/**
 * What a delivery URL may be. In prod: {@code https} only, and every address the host resolves to
 * must be public, so a buyer record cannot make our delivery worker call into our own network
 * (SSRF). The delivery worker must check the address again when it connects (DNS can change).
 */
@ApplicationScoped
public class DeliveryUrlPolicy {

    private static final String FIELD = "deliveryUrl";

    private final BuyersConfig.DeliveryUrl config;

    public DeliveryUrlPolicy(BuyersConfig config) {
        this.config = config.deliveryUrl();
    }

    /** The normalized URL, or a 400 problem naming {@code deliveryUrl}. Resolves DNS: call off the event loop. */
    public String check(String raw) {
        URI uri;
        try {
            uri = new URI(raw.trim()).normalize();
        } catch (URISyntaxException e) {
            throw ProblemException.invalidField(FIELD, "must be an absolute http(s) URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw ProblemException.invalidField(FIELD, "must be an absolute http(s) URL");
        }
        if (config.requireHttps() && !scheme.equals("https")) {
            throw ProblemException.invalidField(FIELD, "must use https");
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw ProblemException.invalidField(FIELD, "must not carry user info or a fragment; credentials belong in authConfig");
        }
        if (!config.allowPrivateNetwork()) {
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(uri.getHost());
            } catch (UnknownHostException e) {
                throw ProblemException.invalidField(FIELD, "host does not resolve");
            }
            for (InetAddress address : addresses) {
                if (!isPublic(address)) {
                    throw ProblemException.invalidField(FIELD,
                            "must not point at a loopback, private, link-local or otherwise non-public address");
                }
            }
        }
        return uri.toString();
    }

    /** False for every address a request from inside our network must never reach on a buyer's behalf. */
    public static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int a0 = b[0] & 0xff;
            int a1 = b[1] & 0xff;
            return !(a0 == 0 // "this" network
                    || (a0 == 100 && (a1 & 0xc0) == 64) // carrier-grade NAT 100.64/10
                    || (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (a0 == 198 && (a1 == 18 || a1 == 19)) // benchmarking
                    || a0 >= 240); // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) { // unique local fc00::/7
                return false;
            }
            boolean v4Mapped = true;
            for (int i = 0; i < 10; i++) {
                v4Mapped &= b[i] == 0;
            }
            if (v4Mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] { b[12], b[13], b[14], b[15] }));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
