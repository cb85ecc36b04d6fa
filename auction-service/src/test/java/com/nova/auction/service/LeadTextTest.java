package com.nova.auction.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The stored form of comments: never markup, never longer than the column allows. */
class LeadTextTest {

    private static int stored(String text) {
        String s = LeadText.sanitize(text);
        return s == null ? 0 : s.codePointCount(0, s.length());
    }

    /** The column's limit is 8 x the submission's: this holds it to what the sanitizer really does. */
    @Test
    void noCharacterEscapesToMoreThanEightCharacters() {
        for (int cp = 1; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                continue;
            }
            String one = "a" + new String(Character.toChars(cp)) + "a";
            int units = one.length() - 2;
            int grown = stored(one) - 2;
            assertTrue(grown <= 8 * units, () -> "U+" + Integer.toHexString(one.codePointAt(1)) + " -> " + LeadText.sanitize(one));
        }
    }

    @Test
    void theLongestCommentsOfTheWidestCharactersFitAndCarryNoMarkup() {
        for (String c : List.of("&", "{", "<", ">", "\"", "'", "`", "=", "\uFE60", "\u1FEF", "{{", "{<", "<!--", "]]>", "\uD83D\uDE00")) {
            String comment = c.repeat(LeadText.COMMENTS_MAX / c.length());
            String s = LeadText.sanitize(comment);
            assertTrue(stored(comment) <= LeadText.STORED_COMMENTS_MAX, c);
            if (s != null) {
                assertFalse(s.contains("<") || s.contains(">") || s.contains("{{"), c + " -> " + s.substring(0, Math.min(60, s.length())));
            }
        }
        assertEquals("&#123;&#123;&#123;", LeadText.sanitize("{{{"));
        assertEquals("a &#123;", LeadText.sanitize("a {"));
        assertEquals(null, LeadText.sanitize("<script>alert(1)</script>"));
    }
}
