package com.nova.auction.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The bounds the service checks at start (the README's configuration table states them). */
class AuctionSettingsTest {

    @Test
    void pingsHoldFromOneSecondToTenMinutesAndWaitForLiveBidsFrom50MsTo2s() {
        assertDoesNotThrow(() -> AuctionSettings.checkPings(Duration.ofSeconds(60), Duration.ofMillis(300), Map.of("solar", Duration.ofMillis(50))));
        assertThrows(IllegalStateException.class, () -> AuctionSettings.checkPings(Duration.ofMillis(999), Duration.ofMillis(300), Map.of()));
        assertThrows(IllegalStateException.class, () -> AuctionSettings.checkPings(Duration.ofMinutes(11), Duration.ofMillis(300), Map.of()));
        assertThrows(IllegalStateException.class, () -> AuctionSettings.checkPings(Duration.ofSeconds(60), Duration.ofMillis(49), Map.of()));
        assertThrows(IllegalStateException.class, () -> AuctionSettings.checkPings(Duration.ofSeconds(60), Duration.ofMillis(300),
                Map.of("solar", Duration.ofMillis(2001))));
    }

    @Test
    void oneToTenBuyersShareALeadInEveryVertical() {
        assertDoesNotThrow(() -> AuctionSettings.checkSharing(1, Map.of("solar", 10)));
        assertThrows(IllegalStateException.class, () -> AuctionSettings.checkSharing(0, Map.of()));
        assertThrows(IllegalStateException.class, () -> AuctionSettings.checkSharing(11, Map.of()));
        assertThrows(IllegalStateException.class, () -> AuctionSettings.checkSharing(3, Map.of("solar", 0)));
    }

    @Test
    void anOfferEndsWithinTheDecisionsTransactionBudget() {
        assertDoesNotThrow(() -> AuctionSettings.checkWaterfall(Duration.ofSeconds(2), Duration.ofSeconds(5)));
        assertThrows(IllegalStateException.class, () -> AuctionSettings.checkWaterfall(Duration.ofSeconds(5), Duration.ofSeconds(5)));
        assertThrows(IllegalStateException.class, () -> AuctionSettings.checkWaterfall(Duration.ZERO, Duration.ofSeconds(5)));
    }
}
