package com.nova.wallet;

import jakarta.inject.Singleton;

import com.nova.kit.testing.AdjustableClock;

/** The application clock in tests: moved forward to end holds and point lots without waiting. */
@Singleton
public class TestClock extends AdjustableClock {
}
