package com.nova.load;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signatures exactly as each sender computes them, so the gateway verifies every load delivery. */
final class Signed {

    private Signed() {
    }

    /** Stripe: {@code t=<ts>,v1=hex(HMAC-SHA256(secret, "<ts>.<body>"))}. */
    static String stripe(String secret, long timestamp, String body) {
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(hmac(bytes(first(secret)), timestamp + "." + body));
    }

    /** Square: base64(HMAC-SHA256(key, notificationUrl + body)). */
    static String square(String key, String notificationUrl, String body) {
        return Base64.getEncoder().encodeToString(hmac(bytes(first(key)), notificationUrl + body));
    }

    /** Standard Webhooks (buyers): {@code v1,base64(HMAC-SHA256(base64-decoded secret, "<id>.<ts>.<body>"))}. */
    static String standard(String secret, String id, long timestamp, String body) {
        byte[] key = Base64.getDecoder().decode(secret.substring(secret.indexOf('_') + 1));
        return "v1," + Base64.getEncoder().encodeToString(hmac(key, id + "." + timestamp + "." + body));
    }

    /** A setting may list several secrets during a rotation; senders sign with the first. */
    static String first(String secrets) {
        return secrets.split(",")[0].trim();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
