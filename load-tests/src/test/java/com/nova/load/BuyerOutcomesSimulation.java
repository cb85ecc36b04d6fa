package com.nova.load;

import static io.gatling.javaapi.core.CoreDsl.scenario;

import java.util.UUID;

import io.gatling.javaapi.core.Simulation;

/**
 * A buyer posting outcomes (accepted, converted, rejected) for leads it bought, through signed
 * Standard Webhooks deliveries at the gateway, into auction.events.
 */
public class BuyerOutcomesSimulation extends Simulation {

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final int LEADS = LoadSettings.size("outcome-leads", 50);
    static volatile Seed.OutcomeBuyer buyer;

    static synchronized Seed.OutcomeBuyer buyer() {
        if (buyer == null) {
            buyer = Seed.outcomeBuyer(RUN, LEADS);
        }
        return buyer;
    }

    {
        // The buyer and its sold leads must exist before the scenario is built (it signs with the secret).
        setUp(scenario("outcomes").exec(Journeys.buyerOutcome(buyer())).injectOpen(Profile.arrivals(1.0)))
                .protocols(Journeys.protocol(LoadSettings.gatewayUrl()))
                .assertions(Profile.assertions(200, 500, 0.0));
    }
}
