package com.nova.kit.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GcraTest {

    @Test
    void allowsTheBurstThenRefusesUntilACellIsFree() {
        long now = 1_000_000;
        Long tat = null;
        for (int i = 0; i < 3; i++) {
            Gcra.Result r = Gcra.check(tat, now, 3, 60_000);
            assertTrue(r.decision().allowed(), "request " + i);
            assertEquals(2 - i, r.decision().remaining());
            tat = r.tat();
        }
        Gcra.Result refused = Gcra.check(tat, now, 3, 60_000);
        assertFalse(refused.decision().allowed());
        assertEquals(20_000, refused.decision().retryAfterMillis());
        assertEquals(tat, refused.tat(), "a refusal does not consume capacity");
        assertTrue(Gcra.check(tat, now + 20_000, 3, 60_000).decision().allowed());
    }
}
