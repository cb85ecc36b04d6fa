package com.nova.kit.logging;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data and secrets in text bound for a log. E-mails keep the first two characters
 * of the local part, tokens and API keys their last four, passwords, secrets and keys nothing.
 * Applied to every formatted log record by {@link PiiRedactingFilter}, so call sites cannot forget.
 */
public final class PiiRedactor {

    public static final String REDACTED = "[REDACTED]";

    private static final Pattern PEM_PRIVATE_KEY = Pattern.compile(
            "-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", Pattern.DOTALL);

    /** Fields whose value is a secret: nothing of it is kept. */
    private static final Pattern SECRET_FIELD = Pattern.compile(
            "(?i)(\"?(?:password|passwd|pwd|passphrase|secret|client[_-]?secret|webhook[_-]?secret|signing[_-]?key"
                    + "|private[_-]?key|signature[_-]?key|encryption[_-]?key|keyset)\"?\\s*[:=]\\s*\"?)([^\"\\s,;&}]+)");

    /** Fields whose value is a credential: the last four characters are kept. */
    private static final Pattern TOKEN_FIELD = Pattern.compile(
            "(?i)(\"?(?:token|access[_-]?token|refresh[_-]?token|id[_-]?token|api[_-]?key|apikey|x-api-key"
                    + "|authorization|cookie)\"?\\s*[:=]\\s*\"?)(?!Bearer\\s|Basic\\s)([^\"\\s,;&}]+)");

    private static final Pattern AUTH_SCHEME = Pattern.compile("(?i)\\b(Bearer|Basic)\\s+([A-Za-z0-9._~+/=-]{4,})");

    private static final Pattern WEBHOOK_SECRET = Pattern.compile("\\bwhsec_[A-Za-z0-9+/=_-]+");

    private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");

    /** Provider-style API keys (Stripe, Square and alike). */
    private static final Pattern API_KEY = Pattern.compile(
            "\\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{8,}|\\bsq0[a-z]{3}-[A-Za-z0-9_-]{16,}|\\bEAAA[A-Za-z0-9_-]{20,}");

    private static final Pattern EMAIL = Pattern.compile(
            "([A-Za-z0-9._%+-]{1,64})@([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,})");

    private static final Pattern CARD = Pattern.compile("(?<![0-9])(?:[0-9][ -]?){13,18}[0-9](?![0-9])");

    private PiiRedactor() {
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = PEM_PRIVATE_KEY.matcher(text).replaceAll(REDACTED);
        out = replace(SECRET_FIELD, out, m -> m.group(1) + REDACTED);
        out = replace(AUTH_SCHEME, out, m -> m.group(1) + " " + lastFour(m.group(2)));
        out = replace(TOKEN_FIELD, out, m -> m.group(1) + lastFour(m.group(2)));
        out = WEBHOOK_SECRET.matcher(out).replaceAll("whsec_" + REDACTED);
        out = replace(JWT, out, m -> lastFour(m.group()));
        out = replace(API_KEY, out, m -> lastFour(m.group()));
        out = replace(EMAIL, out, m -> firstTwo(m.group(1)) + "***@***");
        out = replace(CARD, out, PiiRedactor::maskCard);
        return out;
    }

    /** {@code ***} followed by the last four characters, or only {@code ***} for short values. */
    public static String lastFour(String value) {
        if (value == null || value.length() <= 8) {
            return "***";
        }
        return "***" + value.substring(value.length() - 4);
    }

    private static String firstTwo(String local) {
        return local.length() <= 2 ? local.substring(0, 1) : local.substring(0, 2);
    }

    private static String maskCard(Matcher m) {
        String digits = m.group().replaceAll("[ -]", "");
        if (digits.length() < 14 || digits.length() > 19 || !luhn(digits)) {
            return m.group();
        }
        return "****" + digits.substring(digits.length() - 4);
    }

    private static boolean luhn(String digits) {
        int sum = 0;
        boolean doubleIt = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    private static String replace(Pattern pattern, String text, Function<Matcher, String> replacement) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        do {
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement.apply(m)));
        } while (m.find());
        m.appendTail(sb);
        return sb.toString();
    }
}
