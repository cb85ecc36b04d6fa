package com.nova.gateway.rest;

import java.util.Map;

import com.nova.gateway.service.AccountRateLimited;
import com.nova.gateway.service.BuyerRegistryUnavailable;
import com.nova.gateway.service.ForwardingUnavailable;
import com.nova.gateway.service.Rejection;
import com.nova.kit.problem.ProblemException;

/** How the intake's refusals and failures are answered: statuses and problem types belong to HTTP. */
final class WebhookProblems {

    private WebhookProblems() {
    }

    /** The problem answer for a failure of the intake; failures that already are answers pass through. */
    static Throwable of(Throwable failure) {
        if (failure instanceof Rejection r) {
            return problemOf(r);
        }
        if (failure instanceof ForwardingUnavailable) {
            // The provider retries on 503; the retry is forwarded once.
            return new ProblemException(503, "forwarding-unavailable",
                    "The event could not be stored for processing; retry later", null, Map.of("Retry-After", "5"));
        }
        if (failure instanceof BuyerRegistryUnavailable) {
            return new ProblemException(503, "buyer-registry-unavailable",
                    "Buyer secrets cannot be checked right now; retry later", null, Map.of("Retry-After", "5"));
        }
        if (failure instanceof AccountRateLimited limited) {
            return new ProblemException(429, "rate-limited", "Too many deliveries for this account: retry later", null,
                    Map.of("Retry-After", Long.toString(limited.retryAfterSeconds())));
        }
        return failure;
    }

    /** What the sender learns: which check failed in broad terms, never what we expected. */
    static ProblemException problemOf(Rejection r) {
        return switch (r.reason()) {
            case STALE, FUTURE -> new ProblemException(401, "webhook-timestamp-out-of-tolerance",
                    "The delivery's timestamp is outside the accepted window");
            case MALFORMED -> new ProblemException(400, "webhook-malformed", r.getMessage());
            case UNSUPPORTED_MEDIA_TYPE -> new ProblemException(415, "unsupported-media-type",
                    "Webhooks must be sent as application/json");
            case TOO_LARGE -> new ProblemException(413, "payload-too-large", "The delivery is too large");
            case NOT_CONFIGURED -> new ProblemException(503, "webhook-not-configured",
                    "This endpoint is not ready to accept deliveries; retry later", null, Map.of("Retry-After", "60"));
            default -> new ProblemException(401, "webhook-signature-invalid", "The delivery's signature does not verify");
        };
    }
}
