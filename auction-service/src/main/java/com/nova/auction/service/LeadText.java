package com.nova.auction.service;

import java.util.Locale;

import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

/** Normalization and sanitization of what publishers send. */
public final class LeadText {

    /** No element and no attribute is allowed: markup is dropped (script and style with their content), text kept HTML-safe. */
    private static final PolicyFactory PLAIN_TEXT = new HtmlPolicyBuilder().toFactory();

    /** Longest comment as sent (the submission's Bean Validation); counted in UTF-16 units, as {@code @Size} counts. */
    public static final int COMMENTS_MAX = 2000;

    /**
     * Longest stored comment (the column's CHECK): HTML escaping turns one UTF-16 unit into at most
     * 8 characters ({@code U+FE60} becomes {@code &#xfe60;}), so every comment as sent fits.
     */
    public static final int STORED_COMMENTS_MAX = 8 * COMMENTS_MAX;

    private LeadText() {
    }

    /**
     * Free text made safe to store and to show: control characters removed, markup stripped by the
     * OWASP sanitizer, what remains HTML-escaped, a <code>{</code> that could open a template
     * ({@code {{}) escaped too, so {@code <} and {@code >} never reach the database. Null when
     * nothing is left.
     */
    public static String sanitize(String text) {
        if (text == null) {
            return null;
        }
        String cleaned = text.replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", "").strip();
        if (cleaned.isEmpty()) {
            return null;
        }
        // The sanitizer puts an empty HTML comment after each "{" that ends the text or precedes another
        // (against client-side template injection); an entity does the same without markup in the text.
        String safe = PLAIN_TEXT.sanitize(cleaned).replace("{<!-- -->", "&#123;");
        // Text from the sanitizer holds no other markup; should a future version emit some, it stays inert.
        safe = safe.replace("<", "&lt;").replace(">", "&gt;");
        return safe.isEmpty() ? null : safe;
    }

    public static String email(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    public static String name(String name) {
        return name.strip().replaceAll("\\s+", " ");
    }
}
