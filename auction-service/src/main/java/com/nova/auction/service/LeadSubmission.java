package com.nova.auction.service;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.nova.auction.validation.KnownVertical;
import com.nova.auction.validation.UsPhone;
import com.nova.kit.validation.UsState;

/**
 * A lead as a publisher submits it. Names are letters, marks, spaces, apostrophes, hyphens and
 * periods only (markup is refused, not repaired); {@code comments} is free text, sanitized before
 * it is stored (its escaped form always fits the column: see {@link LeadText#STORED_COMMENTS_MAX}).
 */
public record LeadSubmission(
        @NotBlank @Size(max = 50) @KnownVertical String vertical,
        @NotBlank @Size(max = 100) @Pattern(regexp = NAME, message = NAME_MESSAGE) String firstName,
        @NotBlank @Size(max = 100) @Pattern(regexp = NAME, message = NAME_MESSAGE) String lastName,
        @NotBlank @Size(max = 254) @Email @Pattern(regexp = "[^@\\s<>\"'();,\\\\]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}", message = "must be an e-mail address") String email,
        @NotBlank @UsPhone String phone,
        @NotBlank @Pattern(regexp = "[0-9]{5}", message = "must be a 5-digit ZIP code") String zip,
        @NotBlank @UsState String state,
        @NotBlank @Size(max = 300) @Pattern(regexp = "https://cert\\.trustedform\\.com/[A-Za-z0-9]{20,255}", message = "must be a TrustedForm certificate URL (https://cert.trustedform.com/...)") String trustedFormCertUrl,
        @NotNull @AssertTrue(message = "must be true: the consumer's consent is required") Boolean consent,
        @Size(max = LeadText.COMMENTS_MAX) String comments,
        /** The ping this lead was priced by (ping/post); null for a direct post. A string, so "" is refused, not taken as none. */
        @Pattern(regexp = com.nova.kit.text.PathPatterns.UUID, message = "must be the pingId a ping answered") String pingId) {

    static final String NAME = "[\\p{L}\\p{M}][\\p{L}\\p{M}' .\\-]{0,99}";
    static final String NAME_MESSAGE = "must be a name (letters, spaces, apostrophes, hyphens, periods)";
}
