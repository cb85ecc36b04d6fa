package com.nova.auction.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

/** Normalization and sanitization of what publishers send. */
public final class LeadText {

    /** No element and no attribute is allowed: markup is dropped (script and style with their content), text kept HTML-safe. */
    private static final PolicyFactory PLAIN_TEXT = new HtmlPolicyBuilder().toFactory();

    private LeadText() {
    }

    /**
     * Free text made safe to store and to show: control characters removed, markup stripped by the
     * OWASP sanitizer, what remains HTML-escaped, {@code {{} broken up (so {@code <} and {@code >} never reach the database).
     */
    public static String sanitize(String text) {
        if (text == null) {
            return null;
        }
        String cleaned = text.replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", "").strip();
        if (cleaned.isEmpty()) {
            return null;
        }
        // The sanitizer breaks "{{" with an HTML comment (against client-side template injection);
        // an entity does the same without putting markup into the stored text.
        return PLAIN_TEXT.sanitize(cleaned).replace("{<!-- -->{", "{&#123;");
    }

    public static String email(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    public static String name(String name) {
        return name.strip().replaceAll("\\s+", " ");
    }

    public static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
