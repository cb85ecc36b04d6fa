package com.nova.auction.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A post-accept buyer's rejection reason is someone else's text: kept printable, bounded, never a JSON the database refuses. */
class OfferReasonTest {

    @Test
    void controlCharactersAndLoneSurrogatesAreDroppedAndTheReasonIsBounded() {
        assertEquals("outside our hours", DeliveryExchange.reason("outside\u0000 our\u0007 hours"));
        assertEquals("ab", DeliveryExchange.reason("a\uD800b"));
        assertEquals("zip 😀 ok", DeliveryExchange.reason("zip 😀 ok"));
        assertEquals(200, DeliveryExchange.reason("x".repeat(5_000)).length());
        assertEquals("rejected", DeliveryExchange.reason(""));
        assertEquals("rejected", DeliveryExchange.reason("\u0000\u0001"));
    }
}
