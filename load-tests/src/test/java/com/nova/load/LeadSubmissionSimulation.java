package com.nova.load;

import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.Simulation;

/**
 * Publishers submitting leads against 200 buyers: each request normalises, checks compliance
 * (TrustedForm and ZIP through the stand-ins), asks buyer-registry for the eligible buyers (cached),
 * runs the auction in one transaction and queues the delivery.
 */
public class LeadSubmissionSimulation extends Simulation {

    static final int BUYERS = LoadSettings.size("buyers", 200);

    @Override
    public void before() {
        Seed.ensureLoadBuyers(BUYERS);
    }

    {
        setUp(scenario("leads").exec(Journeys.leadSubmission()).injectOpen(Profile.arrivals(1.0)))
                .protocols(Journeys.protocol(LoadSettings.auctionUrl()))
                .assertions(Profile.assertions(500, 1000, 0.5));
    }
}
