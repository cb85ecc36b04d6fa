package com.nova.auction.validation;

import java.util.Optional;

/** US (NANP) phone numbers to E.164. */
public final class PhoneNumbers {

    private PhoneNumbers() {
    }

    /**
     * {@code +1NXXNXXXXXX}: digits with spaces, dots, hyphens, parentheses and a leading {@code +1}
     * or {@code 1} allowed around them; area code and exchange must not start with 0 or 1.
     */
    public static Optional<String> toE164(String raw) {
        if (raw == null || raw.length() > 30 || !raw.matches("\\+?[0-9 ().\\-]+")) {
            return Optional.empty();
        }
        if (raw.indexOf('+') > 0) {
            return Optional.empty();
        }
        String digits = raw.replaceAll("[^0-9]", "");
        if (raw.startsWith("+") && !digits.startsWith("1")) {
            return Optional.empty();
        }
        if (digits.length() == 11 && digits.charAt(0) == '1') {
            digits = digits.substring(1);
        }
        if (!digits.matches("[2-9][0-9]{2}[2-9][0-9]{6}")) {
            return Optional.empty();
        }
        return Optional.of("+1" + digits);
    }

}
