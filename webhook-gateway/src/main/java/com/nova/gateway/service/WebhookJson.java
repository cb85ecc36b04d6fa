package com.nova.gateway.service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reading provider payloads defensively: every missing or mistyped field is a {@code malformed} rejection. */
final class WebhookJson {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:\\-]{1,200}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");

    private WebhookJson() {
    }

    static JsonNode parse(ObjectMapper mapper, byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || !node.isObject()) {
                throw malformed("The body is not a JSON object");
            }
            return node;
        } catch (java.io.IOException e) {
            throw malformed("The body is not well-formed JSON");
        }
    }

    static String text(JsonNode node, String pointer) {
        JsonNode v = node.at(pointer);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw malformed("Field " + pointer + " is missing");
        }
        return v.asText();
    }

    static String optionalText(JsonNode node, String pointer) {
        JsonNode v = node.at(pointer);
        return v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }

    /** An identifier: bounded, and free of characters that could forge keys or log lines. */
    static String id(JsonNode node, String pointer) {
        String value = text(node, pointer);
        if (!ID.matcher(value).matches()) {
            throw malformed("Field " + pointer + " is not a valid identifier");
        }
        return value;
    }

    static String optionalId(JsonNode node, String pointer) {
        String value = optionalText(node, pointer);
        if (value != null && !ID.matcher(value).matches()) {
            throw malformed("Field " + pointer + " is not a valid identifier");
        }
        return value;
    }

    /** Integer minor units; a fraction or a float is refused, never rounded. */
    static long minorUnits(JsonNode node, String pointer) {
        JsonNode v = node.at(pointer);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw malformed("Field " + pointer + " must be a non-negative integer amount in minor units");
        }
        return v.asLong();
    }

    /** A currency the wallet knows the minor units of (ISO 4217), upper-case. */
    static String currency(JsonNode node, String pointer) {
        String value = text(node, pointer);
        if (!CURRENCY.matcher(value).matches()) {
            throw malformed("Field " + pointer + " is not an ISO-4217 currency code");
        }
        String code = value.toUpperCase(Locale.ROOT);
        try {
            java.util.Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw malformed("Field " + pointer + " is not a known ISO-4217 currency code");
        }
        return code;
    }

    /** A driver id the wallet can store; anything else is refused here rather than dead-lettered there. */
    static String optionalDriverId(JsonNode node, String pointer) {
        String value = optionalText(node, pointer);
        if (value != null && !com.nova.kit.events.Identifiers.isDriverId(value)) {
            throw malformed("Field " + pointer + " is not a valid driver id (1 to 128 letters, digits or . _ : -)");
        }
        return value;
    }

    /** A payment, refund or merchant id the wallet can store. */
    static String externalId(JsonNode node, String pointer) {
        String value = text(node, pointer);
        if (!com.nova.kit.events.Identifiers.isExternalId(value)) {
            throw malformed("Field " + pointer + " is not a valid identifier (1 to 128 letters, digits or . _ : -)");
        }
        return value;
    }

    static String optionalExternalId(JsonNode node, String pointer) {
        return optionalText(node, pointer) == null ? null : externalId(node, pointer);
    }

    static Instant epochSeconds(JsonNode node, String pointer) {
        JsonNode v = node.at(pointer);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw malformed("Field " + pointer + " must be a unix time in seconds");
        }
        return Instant.ofEpochSecond(v.asLong());
    }

    static Instant timestamp(JsonNode node, String pointer) {
        String value = text(node, pointer);
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw malformed("Field " + pointer + " is not an RFC 3339 time");
        }
    }

    static ObjectNode purchaseData(ObjectMapper mapper, String merchantId, long amountMinor, String currency,
            String paymentId, String refundId, String providerEventId, String providerEventType) {
        ObjectNode data = mapper.createObjectNode();
        data.put("merchantId", merchantId);
        data.put("amountMinor", amountMinor);
        data.put("currency", currency);
        data.put("paymentId", paymentId);
        if (refundId != null) {
            data.put("refundId", refundId);
        }
        data.put("providerEventId", providerEventId);
        data.put("providerEventType", providerEventType);
        return data;
    }

    static Rejection malformed(String detail) {
        return new Rejection(Rejection.Reason.MALFORMED, detail);
    }
}
