package com.nova.kit.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which addresses a request made on someone else's behalf (a buyer's delivery or ping URL) may
 * reach: only public ones, so a URL cannot make us call into our own network (SSRF). The same
 * policy decides at registration and again at connect time, where DNS may answer differently.
 * IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) are judged by
 * the IPv4 address they reach.
 */
public final class PublicAddresses {

    private PublicAddresses() {
    }

    /** False for every address a request from inside our network must never reach on an outsider's behalf. */
    public static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicV4(b);
        }
        if (address instanceof Inet6Address) {
            return isPublicV6(b);
        }
        return false;
    }

    private static boolean isPublicV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        return !(a0 == 0 // "this" network
                || a0 == 10 || a0 == 127 // private, loopback
                || (a0 == 169 && a1 == 254) // link-local, cloud metadata
                || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168) // private
                || (a0 == 100 && (a1 & 0xc0) == 64) // carrier-grade NAT 100.64/10
                || (a0 == 192 && a1 == 0 && a2 == 0) // IETF protocol assignments
                || (a0 == 192 && a1 == 0 && a2 == 2) || (a0 == 198 && a1 == 51 && a2 == 100)
                || (a0 == 203 && a1 == 0 && a2 == 113) // documentation
                || (a0 == 192 && a1 == 88 && a2 == 99) // 6to4 relay anycast
                || (a0 == 198 && (a1 == 18 || a1 == 19)) // benchmarking
                || a0 >= 224); // multicast, reserved, broadcast
    }

    private static boolean isPublicV6(byte[] b) {
        int first = b[0] & 0xff;
        if ((first & 0xfe) == 0xfc // unique local fc00::/7
                || (first == 0xfe && (b[1] & 0xc0) == 0xc0) // deprecated site-local fec0::/10
                || first == 0xff) { // multicast
            return false;
        }
        if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return isPublicV4(tail(b, 12)); // IPv4-mapped ::ffff:a.b.c.d
        }
        if (zero(b, 0, 12)) {
            return false; // IPv4-compatible ::a.b.c.d (deprecated; never a real destination), ::, ::1
        }
        if (first == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            // NAT64: 64:ff9b::/96 embeds the IPv4 address in the last four bytes; 64:ff9b:1::/48 is local use.
            return zero(b, 4, 12) && isPublicV4(tail(b, 12));
        }
        if (first == 0x20 && (b[1] & 0xff) == 0x02) {
            return isPublicV4(new byte[] { b[2], b[3], b[4], b[5] }); // 6to4 2002:a.b.c.d::/48
        }
        if (first == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0 && b[3] == 0) {
            // Teredo 2001:0::/32: the client's IPv4 address is the last four bytes, inverted.
            return isPublicV4(new byte[] { (byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15] });
        }
        if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
            return false; // documentation 2001:db8::/32
        }
        if (first == 0x01 && b[1] == 0 && zero(b, 2, 8)) {
            return false; // discard-only 100::/64
        }
        return true;
    }

    /** Every address must be public; an empty answer is not. */
    public static boolean allPublic(InetAddress[] addresses) {
        if (addresses == null || addresses.length == 0) {
            return false;
        }
        for (InetAddress a : addresses) {
            if (!isPublic(a)) {
                return false;
            }
        }
        return true;
    }

    /** Parses a literal address without any DNS lookup; null when {@code text} is not one. */
    public static InetAddress literal(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        // Only address characters: anything else could make InetAddress ask DNS (and block the caller).
        boolean v4 = bare.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = bare.indexOf(':') >= 0 && bare.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] tail(byte[] b, int from) {
        return new byte[] { b[from], b[from + 1], b[from + 2], b[from + 3] };
    }
}
