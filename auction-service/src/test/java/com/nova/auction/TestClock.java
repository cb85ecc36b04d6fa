package com.nova.auction;

import jakarta.inject.Singleton;

import com.nova.kit.testing.AdjustableClock;

/** The application clock in tests: moved forward to end duplicate windows and days without waiting. */
@Singleton
public class TestClock extends AdjustableClock {
}
