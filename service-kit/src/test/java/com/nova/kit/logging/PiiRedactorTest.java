package com.nova.kit.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PiiRedactorTest {

    @Test
    void emailKeepsFirstTwoCharactersOfLocalPart() {
        assertEquals("mail from jo***@*** today", PiiRedactor.redact("mail from john.doe@example.com today"));
        assertEquals("a***@***", PiiRedactor.redact("a@b.io"));
    }

    @Test
    void bearerTokensAndJwtsKeepLastFour() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkcml2ZXIifQ.c2lnbmF0dXJlLXZhbHVl";
        assertEquals("Authorization: Bearer ***bHVl", PiiRedactor.redact("Authorization: Bearer " + jwt));
        assertEquals("token ***bHVl seen", PiiRedactor.redact("token " + jwt + " seen"));
        assertEquals("{\"access_token\":\"***7890\"}", PiiRedactor.redact("{\"access_token\":\"abcdef1234567890\"}"));
        assertEquals("key ***OpQr", PiiRedactor.redact("key sk_live_51AbCdEfGhIjKlMnOpQr"));
    }

    @Test
    void passwordsSecretsAndKeysAreRedactedWhole() {
        String out = PiiRedactor.redact("password=hunter2 secret: s3cr3t {\"clientSecret\":\"abc\"} whsec_AAAABBBBCCCC==");
        assertFalse(out.contains("hunter2"));
        assertFalse(out.contains("s3cr3t"));
        assertFalse(out.contains("abc\""));
        assertFalse(out.contains("AAAABBBB"));
        assertTrue(out.contains("password=[REDACTED]"));
        String pem = PiiRedactor.redact("key -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY----- end");
        assertEquals("key [REDACTED] end", pem);
    }

    @Test
    void cardNumbersAreMaskedOnlyWhenLuhnValid() {
        assertEquals("card ****1111", PiiRedactor.redact("card 4111 1111 1111 1111"));
        assertEquals("card ****4242", PiiRedactor.redact("card 4242-4242-4242-4242"));
        // An order number of card length that fails the Luhn check is left alone.
        assertEquals("order 1234567890123456", PiiRedactor.redact("order 1234567890123456"));
        assertEquals("at 1732312345678", PiiRedactor.redact("at 1732312345678"));
    }

    @Test
    void exceptionChainsAreRedactedButKeepTheirShape() {
        Exception original = new IllegalStateException("user bob.smith@example.com",
                new RuntimeException("password=topsecret"));
        Throwable redacted = RedactedThrowable.of(original);
        assertEquals("java.lang.IllegalStateException: user bo***@***", redacted.toString());
        assertEquals("java.lang.RuntimeException: password=[REDACTED]", redacted.getCause().toString());
        assertEquals(original.getStackTrace().length, redacted.getStackTrace().length);
    }
}
