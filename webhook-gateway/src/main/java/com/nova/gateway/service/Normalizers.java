package com.nova.gateway.service;

import static com.nova.gateway.service.WebhookJson.currency;
import static com.nova.gateway.service.WebhookJson.epochSeconds;
import static com.nova.gateway.service.WebhookJson.externalId;
import static com.nova.gateway.service.WebhookJson.id;
import static com.nova.gateway.service.WebhookJson.minorUnits;
import static com.nova.gateway.service.WebhookJson.optionalDriverId;
import static com.nova.gateway.service.WebhookJson.optionalExternalId;
import static com.nova.gateway.service.WebhookJson.optionalId;
import static com.nova.gateway.service.WebhookJson.optionalText;
import static com.nova.gateway.service.WebhookJson.purchaseData;
import static com.nova.gateway.service.WebhookJson.text;
import static com.nova.gateway.service.WebhookJson.timestamp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nova.gateway.service.Normalized.Forward;
import com.nova.kit.events.EventContract;
import com.nova.kit.events.EventEnvelope;

/**
 * Turns each provider's verified payload into the suite's events. A payment becomes one
 * {@code purchase.completed} keyed by the provider's payment id however many events mention it;
 * a refund one {@code purchase.refunded} keyed by the refund id.
 */
@ApplicationScoped
public class Normalizers {

    public static final Set<String> OUTCOMES = EventContract.Types.LEAD_OUTCOMES;

    private final ObjectMapper mapper;

    public Normalizers(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    // --- Stripe: what was captured (payment_intent.succeeded's amount_received, charge.succeeded/charge.captured's
    // amount_captured) for payments; charge.refunded / refund.* for refunds. An authorisation (a charge with
    // captured: false) is not a payment and earns nothing, nor does one that is cancelled or expires.

    public Normalized stripe(JsonNode event) {
        String eventId = id(event, "/id");
        String type = text(event, "/type");
        Instant created = epochSeconds(event, "/created");
        JsonNode object = event.at("/data/object");
        if (!object.isObject()) {
            throw WebhookJson.malformed("Field /data/object is missing");
        }
        return switch (type) {
            case "payment_intent.succeeded" -> captured(eventId, type, created, externalId(object, "/id"), object,
                    minorUnits(object, "/amount_received"), currency(object, "/currency"));
            case "charge.succeeded", "charge.captured" -> object.path("captured").asBoolean(false)
                    ? captured(eventId, type, created,
                            // The payment is the intent when there is one, so intent and charge events meet.
                            optionalId(object, "/payment_intent") != null ? externalId(object, "/payment_intent")
                                    : externalId(object, "/id"),
                            object, minorUnits(object, "/amount_captured"), currency(object, "/currency"))
                    : Normalized.ignored("stripe", eventId, type);
            case "payment_intent.canceled", "charge.expired" -> Normalized.ignored("stripe", eventId, type);
            case "charge.refunded" -> stripeChargeRefunds(eventId, type, created, object);
            case "refund.created", "refund.updated" -> "succeeded".equals(optionalText(object, "/status"))
                    ? refunded("stripe", eventId, type, created, externalId(object, "/id"), stripePaymentOf(object), null, null,
                            minorUnits(object, "/amount"), currency(object, "/currency"))
                    : Normalized.ignored("stripe", eventId, type);
            default -> Normalized.ignored("stripe", eventId, type);
        };
    }

    private Normalized stripeChargeRefunds(String eventId, String type, Instant created, JsonNode charge) {
        List<Forward> forwards = new ArrayList<>();
        for (JsonNode refund : charge.at("/refunds/data")) {
            if ("succeeded".equals(optionalText(refund, "/status"))) {
                forwards.add(refundForward("stripe", eventId, type, created, externalId(refund, "/id"),
                        optionalId(charge, "/payment_intent") != null ? externalId(charge, "/payment_intent")
                                : externalId(charge, "/id"),
                        optionalDriverId(charge, "/metadata/driver_id"), optionalExternalId(charge, "/metadata/merchant_id"),
                        minorUnits(refund, "/amount"), currency(refund, "/currency")));
            }
        }
        return new Normalized("stripe", eventId, type, forwards);
    }

    private static String stripePaymentOf(JsonNode refund) {
        String intent = optionalId(refund, "/payment_intent");
        return intent != null ? externalId(refund, "/payment_intent") : externalId(refund, "/charge");
    }

    /**
     * A Stripe payment as captured so far. Its identity includes the captured amount: the same
     * capture reported by the intent and by the charge meets once, a later, larger capture (an
     * incremental or second capture) is a new fact the wallet tops the grant up for.
     */
    private Normalized captured(String eventId, String type, Instant occurred, String paymentId, JsonNode object,
            long amountMinor, String currency) {
        String driver = optionalDriverId(object, "/metadata/driver_id");
        String merchant = optionalExternalId(object, "/metadata/merchant_id");
        return completed("stripe", eventId, type, occurred, paymentId, driver, merchant, amountMinor, currency,
                "payment:stripe:" + paymentId + ":" + amountMinor);
    }

    private Normalized completed(String source, String eventId, String type, Instant occurred, String paymentId,
            String driver, String merchant, long amountMinor, String currency) {
        return completed(source, eventId, type, occurred, paymentId, driver, merchant, amountMinor, currency,
                "payment:" + source + ":" + paymentId);
    }

    private Normalized completed(String source, String eventId, String type, Instant occurred, String paymentId,
            String driver, String merchant, long amountMinor, String currency, String identity) {
        ObjectNode data = purchaseData(mapper, merchant, amountMinor, currency, paymentId, null, eventId, type);
        EventEnvelope envelope = EventEnvelope.create(EventContract.Types.PURCHASE_COMPLETED, source, paymentId, occurred, driver, data);
        return new Normalized(source, eventId, type, List.of(new Forward(EventContract.Streams.WALLET, identity, envelope)));
    }

    private Normalized refunded(String source, String eventId, String type, Instant occurred, String refundId,
            String paymentId, String driver, String merchant, long amountMinor, String currency) {
        return new Normalized(source, eventId, type, List.of(refundForward(source, eventId, type, occurred, refundId,
                paymentId, driver, merchant, amountMinor, currency)));
    }

    private Forward refundForward(String source, String eventId, String type, Instant occurred, String refundId,
            String paymentId, String driver, String merchant, long amountMinor, String currency) {
        ObjectNode data = purchaseData(mapper, merchant, amountMinor, currency, paymentId, refundId, eventId, type);
        return new Forward(EventContract.Streams.WALLET, "refund:" + source + ":" + refundId,
                EventEnvelope.create(EventContract.Types.PURCHASE_REFUNDED, source, refundId, occurred, driver, data));
    }

    // --- Square: payment.created / payment.updated (COMPLETED) and refund.created / refund.updated (COMPLETED).

    public Normalized square(JsonNode event) {
        String eventId = id(event, "/event_id");
        String type = text(event, "/type");
        Instant created = timestamp(event, "/created_at");
        String merchant = optionalExternalId(event, "/merchant_id");
        return switch (type) {
            case "payment.created", "payment.updated" -> {
                JsonNode payment = event.at("/data/object/payment");
                if (!"COMPLETED".equals(optionalText(payment, "/status"))) {
                    yield Normalized.ignored("square", eventId, type);
                }
                yield completed("square", eventId, type, created, externalId(payment, "/id"),
                        optionalDriverId(payment, "/reference_id"),
                        merchant != null ? merchant : optionalExternalId(payment, "/location_id"),
                        minorUnits(payment, "/amount_money/amount"), currency(payment, "/amount_money/currency"));
            }
            case "refund.created", "refund.updated" -> {
                JsonNode refund = event.at("/data/object/refund");
                if (!"COMPLETED".equals(optionalText(refund, "/status"))) {
                    yield Normalized.ignored("square", eventId, type);
                }
                yield refunded("square", eventId, type, created, externalId(refund, "/id"), externalId(refund, "/payment_id"), null,
                        merchant != null ? merchant : optionalExternalId(refund, "/location_id"),
                        minorUnits(refund, "/amount_money/amount"), currency(refund, "/amount_money/currency"));
            }
            default -> Normalized.ignored("square", eventId, type);
        };
    }

    /** Square signs no timestamp; the event's own creation time bounds how old a replay may be. */
    public static Instant squareCreatedAt(JsonNode event) {
        return timestamp(event, "/created_at");
    }

    // --- Legacy partner purchases: {type?, event_id?, ts, transaction_id, driver_id?, merchant_id, amount_cents, currency, refund_id?}

    public Normalized purchase(JsonNode body) {
        String type = optionalText(body, "/type") == null ? EventContract.Types.PURCHASE_COMPLETED : text(body, "/type");
        Instant occurred = epochSeconds(body, "/ts");
        String payment = externalId(body, "/transaction_id");
        String refund = EventContract.Types.PURCHASE_REFUNDED.equals(type) ? externalId(body, "/refund_id") : null;
        String eventId = optionalId(body, "/event_id") != null ? id(body, "/event_id")
                : refund != null ? payment + ":" + refund : payment;
        String driver = optionalDriverId(body, "/driver_id");
        String merchant = externalId(body, "/merchant_id");
        long amount = minorUnits(body, "/amount_cents");
        String currency = optionalText(body, "/currency") == null ? "USD" : currency(body, "/currency");
        return switch (type) {
            case EventContract.Types.PURCHASE_COMPLETED -> completed("purchase", eventId, type, occurred, payment, driver, merchant,
                    amount, currency);
            case EventContract.Types.PURCHASE_REFUNDED -> refunded("purchase", eventId, type, occurred, refund, payment, driver,
                    merchant, amount, currency);
            default -> Normalized.ignored("purchase", eventId, type);
        };
    }

    // --- Buyer outcomes (Standard Webhooks): {type, leadId, reason?, occurredAt?}

    public Normalized buyerOutcome(String buyerId, String messageId, Instant signedAt, JsonNode body) {
        String type = text(body, "/type");
        String source = "buyer:" + buyerId;
        if (!OUTCOMES.contains(type)) {
            return Normalized.ignored(source, messageId, type);
        }
        String leadId = id(body, "/leadId");
        String reason = optionalText(body, "/reason");
        if (EventContract.Types.LEAD_RETURNED.equals(type) && reason == null) {
            throw WebhookJson.malformed("A returned lead needs a reason");
        }
        if (reason != null && reason.length() > 500) {
            throw WebhookJson.malformed("Field /reason is longer than 500 characters");
        }
        Instant occurred = optionalText(body, "/occurredAt") == null ? signedAt : timestamp(body, "/occurredAt");
        ObjectNode data = mapper.createObjectNode();
        data.put("buyerId", buyerId);
        data.put("leadId", leadId);
        if (reason != null) {
            data.put("reason", reason);
        }
        data.put("messageId", messageId);
        EventEnvelope envelope = EventEnvelope.create(type, source, messageId, occurred, leadId, data);
        return new Normalized(source, messageId, type,
                List.of(new Forward(EventContract.Streams.AUCTION, "outcome:" + buyerId + ":" + messageId, envelope)));
    }
}
