package com.nova.load;

import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.Simulation;

/**
 * Signed payment deliveries at the gateway: Stripe (a fifth delivered twice), Square and partner
 * purchases, 60/20/20, each verified, deduplicated and forwarded to wallet.events, where the
 * wallet grants them.
 */
public class PaymentWebhooksSimulation extends Simulation {

    static final int DRIVERS = LoadSettings.size("drivers", 5_000);
    static final int MERCHANTS = 50;

    {
        var gateway = Journeys.protocol(LoadSettings.gatewayUrl());
        setUp(scenario("stripe").exec(Journeys.stripePayment(DRIVERS, MERCHANTS)).injectOpen(Profile.arrivals(0.6)),
                scenario("square").exec(Journeys.squarePayment(DRIVERS, MERCHANTS)).injectOpen(Profile.arrivals(0.2)),
                scenario("purchases").exec(Journeys.partnerPurchase(DRIVERS, MERCHANTS)).injectOpen(Profile.arrivals(0.2)))
                .protocols(gateway)
                .assertions(Profile.assertions(200, 500, 0.0));
    }
}
