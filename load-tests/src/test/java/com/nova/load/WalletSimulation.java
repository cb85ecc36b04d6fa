package com.nova.load;

import static io.gatling.javaapi.core.CoreDsl.scenario;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import io.gatling.javaapi.core.Simulation;

/**
 * Drivers reading their wallet and redeeming: spread over many funded drivers, and one hot driver
 * whose every redemption contends for the same wallet row. Reads 70 %, spread redemptions 20 %,
 * hot redemptions 10 %.
 */
public class WalletSimulation extends Simulation {

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final int DRIVERS = LoadSettings.size("drivers", 2_000);
    static final List<String> SPREAD = IntStream.range(0, DRIVERS).mapToObj(i -> "load-wallet-" + RUN + "-" + i).toList();
    static final String HOT = "load-hot-" + RUN;

    @Override
    public void before() {
        List<String> all = new ArrayList<>(SPREAD);
        all.add(HOT);
        Seed.fundDrivers(all, 10_000_000, RUN);
    }

    private static Iterator<Map<String, Object>> drivers() {
        return java.util.stream.Stream.generate(() -> {
            String driver = SPREAD.get(ThreadLocalRandom.current().nextInt(SPREAD.size()));
            return Map.<String, Object>of("token", Journeys.driverToken(driver));
        }).iterator();
    }

    {
        var wallet = Journeys.protocol(LoadSettings.walletUrl());
        String hot = Journeys.driverToken(HOT);
        setUp(scenario("reads").feed(drivers()).exec(Journeys.walletRead()).injectOpen(Profile.arrivals(0.7)),
                scenario("redemptions").feed(drivers()).exec(Journeys.redemption()).injectOpen(Profile.arrivals(0.2)),
                scenario("hot driver").exec(session -> session.set("token", hot)).exec(Journeys.redemption())
                        .injectOpen(Profile.arrivals(0.1)))
                .protocols(wallet)
                .assertions(Profile.assertions(200, 500, 0.0));
    }
}
