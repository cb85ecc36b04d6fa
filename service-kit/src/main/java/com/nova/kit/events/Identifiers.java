package com.nova.kit.events;

import java.util.regex.Pattern;

/**
 * Identifiers that cross services, with the one rule each: the producer refuses at its door what
 * the consumer could not store, so nothing accepted ends in a dead-letter stream for its shape.
 */
public final class Identifiers {

    /** A driver id as the wallet stores it (its column allows 128 characters). */
    public static final String DRIVER_ID = "[A-Za-z0-9_.:\\-]{1,128}";

    /** A provider's payment, refund or merchant id as the wallet stores it. */
    public static final String EXTERNAL_ID = "[A-Za-z0-9_.:\\-]{1,128}";

    private static final Pattern DRIVER = Pattern.compile(DRIVER_ID);
    private static final Pattern EXTERNAL = Pattern.compile(EXTERNAL_ID);

    private Identifiers() {
    }

    public static boolean isDriverId(String value) {
        return value != null && DRIVER.matcher(value).matches();
    }

    public static boolean isExternalId(String value) {
        return value != null && EXTERNAL.matcher(value).matches();
    }
}
