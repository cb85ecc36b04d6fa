package com.nova.kit.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class DigestsTest {

    @Test
    void hexOfTheKnownVector() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Digests.sha256Hex("abc"));
    }

    @Test
    void partsAreSeparatedSoTheirBoundariesCount() {
        assertNotEquals(Digests.sha256HexOfParts("ab", "c"), Digests.sha256HexOfParts("a", "bc"));
        assertEquals(Digests.sha256HexOfParts("a", null), Digests.sha256HexOfParts("a", ""));
    }
}
