package com.nova.load;

import static io.gatling.javaapi.core.CoreDsl.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.gatling.javaapi.core.Simulation;

/**
 * Every journey at once, in a production-like mix of the arrivals: payment webhooks 35 % (Stripe,
 * Square, partners), wallet reads 30 %, redemptions 10 %, lead submissions 20 %, buyer outcomes
 * 5 %. All four services, PostgreSQL and Redis are busy together, as on a real day.
 */
public class DayInProductionSimulation extends Simulation {

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final int DRIVERS = LoadSettings.size("drivers", 2_000);
    static final List<String> FUNDED = IntStream.range(0, DRIVERS).mapToObj(i -> "load-day-" + RUN + "-" + i).toList();
    static final Seed.OutcomeBuyer OUTCOMES;

    static {
        Seed.ensureLoadBuyers(LoadSettings.size("buyers", 200));
        OUTCOMES = Seed.outcomeBuyer(RUN, LoadSettings.size("outcome-leads", 50));
    }

    @Override
    public void before() {
        Seed.fundDrivers(new ArrayList<>(FUNDED), 10_000_000, RUN);
    }

    private static java.util.Iterator<Map<String, Object>> drivers() {
        return Stream.generate(() -> Map.<String, Object>of("token",
                Journeys.driverToken(FUNDED.get(ThreadLocalRandom.current().nextInt(FUNDED.size()))))).iterator();
    }

    {
        var gateway = Journeys.protocol(LoadSettings.gatewayUrl());
        var wallet = Journeys.protocol(LoadSettings.walletUrl());
        var auction = Journeys.protocol(LoadSettings.auctionUrl());
        int earners = PaymentWebhooksSimulation.DRIVERS;
        setUp(scenario("stripe").exec(Journeys.stripePayment(earners, 50)).injectOpen(Profile.arrivals(0.25)).protocols(gateway),
                scenario("square").exec(Journeys.squarePayment(earners, 50)).injectOpen(Profile.arrivals(0.05)).protocols(gateway),
                scenario("purchases").exec(Journeys.partnerPurchase(earners, 50)).injectOpen(Profile.arrivals(0.05)).protocols(gateway),
                scenario("wallet reads").feed(drivers()).exec(Journeys.walletRead()).injectOpen(Profile.arrivals(0.30)).protocols(wallet),
                scenario("redemptions").feed(drivers()).exec(Journeys.redemption()).injectOpen(Profile.arrivals(0.10)).protocols(wallet),
                scenario("leads").exec(Journeys.leadSubmission()).injectOpen(Profile.arrivals(0.20)).protocols(auction),
                scenario("outcomes").exec(Journeys.buyerOutcome(OUTCOMES)).injectOpen(Profile.arrivals(0.05)).protocols(gateway))
                .assertions(Profile.assertions(500, 1000, 0.5));
    }
}
