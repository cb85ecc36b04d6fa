package com.nova.load;

import java.util.concurrent.ThreadLocalRandom;

/** Fresh consumer leads: a different person each time (the auction refuses one person twice in 30 days). */
final class Leads {

    /** California area codes; the seven digits after one are drawn at random (exchange 200 to 999). */
    private static final String[] AREA_CODES = { "415", "510", "650", "408", "916", "213", "310", "619", "714", "818" };

    private Leads() {
    }

    static String body(String vertical, String zip, String state) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String phone = AREA_CODES[r.nextInt(AREA_CODES.length)] + (200 + r.nextInt(800)) + String.format("%04d", r.nextInt(10_000));
        String person = Long.toHexString(r.nextLong() & Long.MAX_VALUE);
        String cert = Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
        return """
                {"vertical":"%s","firstName":"Load","lastName":"Tester","email":"load.%s@example.com","phone":"%s",
                 "zip":"%s","state":"%s","trustedFormCertUrl":"https://cert.trustedform.com/%s","consent":true,
                 "comments":"load test lead"}""".formatted(vertical, person, phone, zip, state, cert);
    }

    /** A lead for one of the load buyers' verticals and states. */
    static String forLoadBuyers() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String[] zip = Seed.ZIPS[r.nextInt(Seed.ZIPS.length)];
        return body(Seed.VERTICALS[r.nextInt(Seed.VERTICALS.length)], zip[0], zip[1]);
    }
}
