package com.nova.wallet.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/** Nova arithmetic: integers only, exact decimals in between, always rounded down. */
public final class Points {

    private Points() {
    }

    /**
     * Points earned by a purchase: {@code amount × rate}, the amount in whole currency units
     * (minor units moved by the currency's exponent: cents for USD, none for JPY), rounded down.
     */
    public static long earned(long amountMinor, String currency, BigDecimal pointsPerUnit) {
        int exponent = exponentOf(currency);
        return BigDecimal.valueOf(amountMinor).multiply(pointsPerUnit).movePointLeft(exponent)
                .setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    /**
     * Points a refund takes back, proportionally and cumulatively: after this refund, in total
     * {@code floor(points × refunded / amount)} are reversed, so many partial refunds add up to
     * exactly what one full refund would take.
     */
    public static long reversedAfter(long grantedPoints, long amountMinor, long refundedMinor) {
        if (amountMinor == 0) {
            return 0;
        }
        return BigDecimal.valueOf(grantedPoints).multiply(BigDecimal.valueOf(refundedMinor))
                .divide(BigDecimal.valueOf(amountMinor), 0, RoundingMode.FLOOR).longValueExact();
    }

    static int exponentOf(String currency) {
        try {
            int digits = Currency.getInstance(currency).getDefaultFractionDigits();
            return digits < 0 ? 0 : digits;
        } catch (IllegalArgumentException e) {
            throw new com.nova.kit.events.PoisonEventException("unknown currency " + currency);
        }
    }
}
