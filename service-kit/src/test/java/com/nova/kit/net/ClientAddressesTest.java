package com.nova.kit.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    private static ClientAddresses trusting(String... blocks) {
        return new ClientAddresses(blocks.length == 0 ? Optional.empty() : Optional.of(List.of(blocks)));
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        assertEquals("10.1.2.3", trusting().resolve("10.1.2.3", List.of("203.0.113.9")));
    }

    @Test
    void fromAnUntrustedPeerTheHeaderIsIgnored() {
        assertEquals("198.51.100.7", trusting("10.0.0.0/8").resolve("198.51.100.7", List.of("203.0.113.9")));
    }

    @Test
    void fromATrustedProxyTheRightmostUntrustedHopIsTheClient() {
        ClientAddresses a = trusting("10.0.0.0/8", "192.168.1.5");
        assertEquals("203.0.113.9", a.resolve("10.0.0.7", List.of("203.0.113.9")));
        // A client that sends its own X-Forwarded-For cannot choose its address: proxies append.
        assertEquals("203.0.113.9", a.resolve("10.0.0.7", List.of("1.2.3.4, 203.0.113.9")));
        assertEquals("203.0.113.9", a.resolve("10.0.0.7", List.of("1.2.3.4, 203.0.113.9, 192.168.1.5")));
        assertEquals("203.0.113.9", a.resolve("10.0.0.7", List.of("1.2.3.4", "203.0.113.9:5555")));
        assertEquals("2001:db8:0:0:0:0:0:1", a.resolve("10.0.0.7", List.of("[2001:db8::1]:443")));
        // Garbage stops the walk at the last hop we can vouch for.
        assertEquals("10.0.0.7", a.resolve("10.0.0.7", List.of("not-an-address")));
        assertEquals("10.0.0.7", a.resolve("10.0.0.7", List.of()));
    }

    @Test
    void ipv6AddressesAreLimitedByTheirSlash64() {
        assertEquals("2001:0db8:0001:0002::/64", ClientAddresses.bucketOf("2001:db8:1:2:aaaa::1"));
        assertEquals("2001:0db8:0001:0002::/64", ClientAddresses.bucketOf("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        assertEquals("203.0.113.9", ClientAddresses.bucketOf("203.0.113.9"));
        assertEquals("unknown", ClientAddresses.bucketOf("unknown"));
    }

    @Test
    void aBadBlockFailsAtStart() {
        assertThrows(IllegalArgumentException.class, () -> trusting("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> trusting("ingress"));
    }
}
