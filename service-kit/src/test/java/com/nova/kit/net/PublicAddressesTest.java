package com.nova.kit.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

class PublicAddressesTest {

    @Test
    void privateLoopbackLinkLocalAndReservedAreNotPublic() throws Exception {
        for (String a : List.of("127.0.0.1", "10.0.0.1", "172.31.255.255", "192.168.0.1", "169.254.169.254", "0.0.0.0",
                "100.100.1.1", "224.0.0.1", "255.255.255.255", "198.18.0.1", "192.0.2.1", "::1", "::", "fe80::1",
                "fc00::1", "fd12:3456::1", "fec0::1", "ff02::1", "2001:db8::1", "100::1")) {
            assertFalse(PublicAddresses.isPublic(InetAddress.getByName(a)), a);
        }
    }

    @Test
    void ipv6FormsCarryingAPrivateIpv4AddressAreNotPublic() throws Exception {
        for (String a : List.of("::ffff:192.168.1.1", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
                "::127.0.0.1", "::10.0.0.1", "::8.8.8.8", // IPv4-compatible: deprecated, never a destination
                "64:ff9b::127.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b::10.1.2.3", "64:ff9b:1::10.1.2.3",
                "2002:7f00:1::1", "2002:c0a8:0101::1", // 6to4 of 127.0.0.1 and 192.168.1.1
                "2001:0:4136:e378:8000:63bf:80ff:fffe")) { // Teredo whose client is ~80ff:fffe = 127.0.0.1
            assertFalse(PublicAddresses.isPublic(InetAddress.getByName(a)), a);
        }
    }

    @Test
    void publicAddressesArePublic() throws Exception {
        for (String a : List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:2800:220:1:248:1893:25c8:1946",
                "::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "2002:0808:0808::1")) {
            assertTrue(PublicAddresses.isPublic(InetAddress.getByName(a)), a);
        }
    }

    @Test
    void allPublicNeedsEveryAddressAndAtLeastOne() throws Exception {
        assertFalse(PublicAddresses.allPublic(new InetAddress[0]));
        assertFalse(PublicAddresses.allPublic(new InetAddress[] { InetAddress.getByName("8.8.8.8"),
                InetAddress.getByName("10.0.0.1") }));
        assertTrue(PublicAddresses.allPublic(new InetAddress[] { InetAddress.getByName("8.8.8.8") }));
    }

    @Test
    void literalParsesAddressesOnlyWithoutDns() throws Exception {
        assertTrue(PublicAddresses.literal("127.0.0.1").isLoopbackAddress());
        assertTrue(PublicAddresses.literal("[::1]").isLoopbackAddress());
        assertNull(PublicAddresses.literal("example.com"));
        // Text with colons that is not an address is refused without a DNS lookup.
        assertNull(PublicAddresses.literal("zz:zz:zz"));
        assertNull(PublicAddresses.literal("1.2.3"));
        assertNull(PublicAddresses.literal("localhost"));
    }
}
