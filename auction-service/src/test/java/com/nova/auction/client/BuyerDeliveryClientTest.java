package com.nova.auction.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nova.auction.client.BuyerDeliveryClient.Destination;
import com.nova.auction.client.BuyerDeliveryClient.RefusedDestinationException;

import io.vertx.core.http.RequestOptions;

/** The connect-time address check of deliveries, and the request that pins the checked address. */
class BuyerDeliveryClientTest {

    static final String HOST = "buyer.example.com";

    /** What DNS answered for {@code HOST}. */
    private static InetAddress[] answer(String... addresses) throws UnknownHostException {
        InetAddress[] resolved = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            resolved[i] = InetAddress.getByAddress(HOST, InetAddress.getByName(addresses[i]).getAddress());
        }
        return resolved;
    }

    @Test
    void aHostResolvingToAnyNonPublicAddressIsRefused() throws UnknownHostException {
        for (List<String> resolved : List.of(List.of("127.0.0.1"), List.of("::ffff:127.0.0.1"), List.of("64:ff9b::7f00:1"),
                List.of("::1"), List.of("10.1.2.3"), List.of("169.254.169.254"), List.of("fd00::1"),
                List.of("93.184.216.34", "192.168.1.1"))) {
            InetAddress[] addresses = answer(resolved.toArray(String[]::new));
            assertThrows(RefusedDestinationException.class, () -> BuyerDeliveryClient.checked(HOST, addresses, false),
                    resolved.toString());
        }
        assertThrows(IllegalStateException.class, () -> BuyerDeliveryClient.checked(HOST, new InetAddress[0], false));
    }

    @Test
    void aPublicAddressIsTheOneConnectedToAndPrivateOnesOnlyWhereAllowed() throws UnknownHostException {
        assertEquals("93.184.216.34", BuyerDeliveryClient.checked(HOST, answer("93.184.216.34", "2606:2800:220:1::"), false)
                .getHostAddress());
        assertEquals("127.0.0.1", BuyerDeliveryClient.checked(HOST, answer("127.0.0.1"), true).getHostAddress());
    }

    @Test
    void theRequestConnectsToTheCheckedAddressAndKeepsTheUrlsHostForHostHeaderAndTls() throws UnknownHostException {
        Destination destination = Destination.of("https://" + HOST + "/v1/leads?source=nova");
        assertEquals(new Destination(HOST, 443, true, "/v1/leads?source=nova"), destination);
        InetAddress checked = BuyerDeliveryClient.checked(HOST, answer("93.184.216.34"), false);
        RequestOptions options = BuyerDeliveryClient.options(destination, checked, Map.of("Idempotency-Key", "k"));
        // Vert.x connects to the server address, and takes Host and SNI from host/port: a later DNS answer plays no part.
        assertEquals("93.184.216.34", options.getServer().hostAddress());
        assertEquals(443, options.getServer().port());
        assertEquals(HOST, options.getHost());
        assertEquals(443, options.getPort());
        assertEquals(true, options.isSsl());
        assertEquals("/v1/leads?source=nova", options.getURI());
        assertEquals(false, options.getFollowRedirects());
    }

    @Test
    void urlsThatAreNotAbsoluteHttpAreRefused() {
        assertEquals(new Destination("::1", 8080, false, "/"), Destination.of("http://[::1]:8080"));
        for (String url : List.of("", "not a url", "/relative", "ftp://buyer.example.com/x", "https://user:pw@buyer.example.com/x",
                "file:///etc/passwd", "https:///nohost")) {
            assertThrows(RefusedDestinationException.class, () -> Destination.of(url), url);
        }
    }
}
