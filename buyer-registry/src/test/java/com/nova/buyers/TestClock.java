package com.nova.buyers;

import jakarta.inject.Singleton;

import com.nova.kit.testing.AdjustableClock;

/** The application clock in tests: moved forward to end grace periods without waiting. */
@Singleton
public class TestClock extends AdjustableClock {
}
