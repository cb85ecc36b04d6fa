package com.nova.kit.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.config.KitConfig;

import io.vertx.core.http.HttpServerRequest;

/**
 * The address of the client behind our proxies. {@code X-Forwarded-For} is written by clients
 * too, so it is believed only when the connection comes from a configured proxy, and read from
 * the right: each trusted hop is skipped, the first address no proxy of ours added is the client.
 * Rate limits and the audit of rejected webhooks key on this, never on a header alone.
 */
@ApplicationScoped
public class ClientAddresses {

    private final List<Cidr> trusted;

    @jakarta.inject.Inject
    public ClientAddresses(KitConfig config) {
        this(config.trustedProxies());
    }

    ClientAddresses(java.util.Optional<List<String>> trustedProxies) {
        this.trusted = new ArrayList<>();
        for (String block : trustedProxies.orElse(List.of())) {
            if (!block.isBlank()) {
                trusted.add(Cidr.parse(block.trim()));
            }
        }
    }

    public String of(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? null : request.remoteAddress().host();
        return resolve(peer, request.headers().getAll("X-Forwarded-For"));
    }

    String resolve(String peer, List<String> forwardedFor) {
        if (peer == null) {
            return "unknown";
        }
        if (trusted.isEmpty() || !isTrusted(peer) || forwardedFor == null || forwardedFor.isEmpty()) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = PublicAddresses.literal(stripPort(hops.get(i)));
            if (hop == null) {
                break; // garbage in the chain: what we know for sure is the last trusted hop
            }
            client = hop.getHostAddress();
            if (!isTrusted(client)) {
                break;
            }
        }
        return client;
    }

    /**
     * The unit a limit counts an address in: an IPv4 address itself, an IPv6 address by its /64
     * (one subscriber's network: anyone holding one can pick among 2^64 addresses).
     */
    public static String bucketOf(String address) {
        InetAddress a = PublicAddresses.literal(address);
        if (a instanceof java.net.Inet6Address) {
            byte[] b = a.getAddress();
            return String.format("%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
        }
        return address;
    }

    private boolean isTrusted(String address) {
        InetAddress a = PublicAddresses.literal(address);
        if (a == null) {
            return false;
        }
        for (Cidr c : trusted) {
            if (c.contains(a)) {
                return true;
            }
        }
        return false;
    }

    private static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end > 0 ? hop.substring(1, end) : hop;
        }
        int colon = hop.indexOf(':');
        return colon > 0 && hop.indexOf(':', colon + 1) < 0 ? hop.substring(0, colon) : hop;
    }

    /** An address block such as {@code 10.0.0.0/8}; a bare address is its own block. */
    record Cidr(byte[] network, int bits) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            InetAddress address = PublicAddresses.literal(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("kit.trusted-proxies: not an address or CIDR block: " + text);
            }
            byte[] bytes = address.getAddress();
            int bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
            if (bits < 0 || bits > bytes.length * 8) {
                throw new IllegalArgumentException("kit.trusted-proxies: bad prefix length in " + text);
            }
            return new Cidr(bytes, bits);
        }

        boolean contains(InetAddress address) {
            byte[] b = address.getAddress();
            if (b.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((b[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
