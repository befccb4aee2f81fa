package io.routereflector.reflector.session;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    @Test
    void jitterStaysWithinThreeQuartersAndOne() {
        assertEquals(3750, Backoff.delayMillis(5, 0, 0.0));
        assertEquals(5000, Backoff.delayMillis(5, 0, 1.0));
        for (int i = 0; i < 100; i++) {
            long d = Backoff.delayMillis(5, 0, i / 100.0);
            assertTrue(d >= 3750 && d <= 5000, "delay " + d);
        }
    }

    @Test
    void doublesPerFailureUpToTheCap() {
        assertEquals(10_000, Backoff.delayMillis(5, 1, 1.0));
        assertEquals(40_000, Backoff.delayMillis(5, 3, 1.0));
        assertEquals(60_000, Backoff.delayMillis(5, 4, 1.0), "capped at 60 s");
        assertEquals(60_000, Backoff.delayMillis(5, 1000, 1.0), "no overflow after many failures");
        assertEquals(120_000, Backoff.delayMillis(120, 5, 1.0), "a ConnectRetry above the cap is the cap");
    }
}
