package com.nova.auction.service;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.nova.auction.LeadRecord;
import com.nova.auction.LeadRecord.LeadStatus;
import com.nova.auction.service.LeadRefusedException.Reason;
import com.nova.auction.validation.PhoneNumbers;
import com.nova.kit.text.Digests;

/**
 * A submission made into the lead we store: phone in E.164, e-mail and names cleaned, comments
 * sanitized ({@link LeadText}), the request hash that tells a retry from another lead under the
 * same Idempotency-Key, and the person keys that find the same person again. Free of I/O.
 */
public final class LeadNormalizer {

    private LeadNormalizer() {
    }

    /** The lead as it will be stored, not yet decided (UNSOLD, no reason), stamped {@code now}; refuses a non-US phone. */
    public static LeadRecord draft(String publisherId, String idempotencyKey, LeadSubmission s, OffsetDateTime now) {
        String phone = PhoneNumbers.toE164(s.phone()).orElseThrow(() -> LeadRefusedException.of(Reason.INVALID_PHONE));
        String email = LeadText.email(s.email());
        String comments = LeadText.sanitize(s.comments());
        String first = LeadText.name(s.firstName());
        String last = LeadText.name(s.lastName());
        String hash = requestHash(s, first, last, email, phone, comments);
        return new LeadRecord(UUID.randomUUID(), publisherId, idempotencyKey, hash, s.vertical(), first, last, email, phone,
                s.zip(), s.state(), s.trustedFormCertUrl(), comments, LeadStatus.UNSOLD, null, null, null, null, now, now);
    }

    /**
     * The hash stored with each lead: the normalized fields joined by NUL. Leads already stored carry
     * it, so it must not change (a retry of an old lead would otherwise be refused as another lead).
     */
    static String requestHash(LeadSubmission s, String first, String last, String email, String phone, String comments) {
        // A post of a ping adds its ping; a direct post's hash stays as it always was.
        return Digests.sha256Hex(String.join("\u0000", s.vertical(), first, last, email, phone, s.zip(), s.state(),
                s.trustedFormCertUrl(), comments == null ? "" : comments) + (s.pingId() == null ? "" : "\u0000ping:" + s.pingId()));
    }

    /** The keys a person is claimed by (its e-mail and its phone), hashed: the same person within the window is a duplicate. */
    public static String[] personKeys(LeadRecord lead) {
        return new String[] { Digests.sha256Hex("email:" + lead.email()), Digests.sha256Hex("phone:" + lead.phone()) };
    }
}
