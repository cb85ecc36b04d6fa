package com.nova.gateway.service;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC and comparison helpers shared by the verifiers. Comparisons never stop at the first difference. */
final class Signatures {

    private Signatures() {
    }

    static byte[] hmac(String algorithm, byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(algorithm + " is unavailable", e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Constant-time equality of byte strings. */
    static boolean same(byte[] a, byte[] b) {
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    /** Rejects a signed timestamp outside the tolerance window around now. */
    static void requireFresh(Instant signed, Clock clock, Duration tolerance, String eventId) {
        Instant now = clock.instant();
        if (signed.isBefore(now.minus(tolerance))) {
            throw new Rejection(Rejection.Reason.STALE, "The delivery's timestamp is outside the accepted window", eventId);
        }
        if (signed.isAfter(now.plus(tolerance))) {
            throw new Rejection(Rejection.Reason.FUTURE, "The delivery's timestamp is outside the accepted window", eventId);
        }
    }

    static Instant epochSeconds(String value) {
        if (value == null || !value.matches("[0-9]{1,12}")) {
            throw new Rejection(Rejection.Reason.MISSING_SIGNATURE, "The signature header is missing or malformed");
        }
        return Instant.ofEpochSecond(Long.parseLong(value));
    }
}
