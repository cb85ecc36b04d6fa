package com.nova.auction.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** What a live bidder's answer may be: an exact decimal of at most two places, or null; anything else is malformed. */
class LiveBidParsingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static BigDecimal bid(String json) {
        return LiveBids.bid(MAPPER, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void stringsAndNumbersAreReadExactly() {
        assertEquals(new BigDecimal("12.50"), bid("{\"bid\":\"12.5\"}"));
        assertEquals(new BigDecimal("12.50"), bid("{\"bid\":12.5}"));
        assertEquals(new BigDecimal("9999999999.99"), bid("{\"bid\":9999999999.99}"));
        assertEquals(new BigDecimal("0.10"), bid("{\"bid\":0.1}"), "never through a binary float");
        assertEquals(new BigDecimal("7.00"), bid("{\"bid\":\"7\",\"currency\":\"USD\"}"));
        assertEquals(new BigDecimal("1000.00"), bid("{\"bid\":1e3}"), "a JSON number in exponent form is the number it writes");
        assertNull(bid("{\"bid\":null}"));
    }

    @Test
    void anythingElseIsMalformed() {
        for (String answer : new String[] { "", "bid=7", "[]", "{}", "{\"price\":\"7\"}", "{\"bid\":\"7.001\"}", "{\"bid\":7.001}",
                "{\"bid\":\"-1\"}", "{\"bid\":0}", "{\"bid\":\"0.00\"}", "{\"bid\":\"1e3\"}", "{\"bid\":true}",
                "{\"bid\":{\"amount\":\"7\"}}", "{\"bid\":\"12345678901.00\"}", "{\"bid\":\" \"}", "{\"bid\":\"NaN\"}",
                "{\"bid\":1e999999999}", "{\"bid\":1e-999999999}", "{\"bid\":12345678901}", "{\"bid\":0.001}" }) {
            assertThrows(IllegalArgumentException.class, () -> bid(answer), answer);
        }
    }
}
