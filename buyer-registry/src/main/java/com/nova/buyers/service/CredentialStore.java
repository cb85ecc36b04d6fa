package com.nova.buyers.service;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nova.buyers.Buyer;
import com.nova.buyers.WebhookSecret;
import com.nova.buyers.crypto.CredentialCipher;
import com.nova.buyers.crypto.CredentialCipher.Purpose;
import com.nova.kit.problem.ProblemException;

import io.quarkus.logging.Log;

/**
 * Puts credentials and webhook secrets into their rows encrypted, and reads them back. The only
 * place that sees them in clear; rows still holding legacy plaintext are read as they are until
 * re-encryption rewrites them.
 */
@ApplicationScoped
public class CredentialStore {

    public static final String WEBHOOK_SECRET_PREFIX = "whsec_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CredentialCipher cipher;
    private final ObjectMapper mapper;

    public CredentialStore(CredentialCipher cipher, ObjectMapper mapper) {
        this.cipher = cipher;
        this.mapper = mapper;
    }

    /** {@code whsec_} and the base64 of 32 random bytes, the Standard Webhooks form. */
    public static String newWebhookSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return WEBHOOK_SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    public void sealAuthConfig(Buyer buyer, AuthConfig auth) {
        byte[] ciphertext = encrypt(auth, buyer, Purpose.AUTH_CONFIG);
        buyer.authType = auth.type();
        buyer.authHint = auth.hint();
        buyer.authCiphertext = ciphertext;
        buyer.authKeyId = keyId(ciphertext);
        buyer.authPlaintext = null;
    }

    public AuthConfig openAuthConfig(Buyer buyer) {
        return authConfig(buyer.authPlaintext != null ? buyer.authPlaintext
                : decrypt(buyer.authCiphertext, buyer, Purpose.AUTH_CONFIG), buyer, "credentials");
    }

    /** The live-bidding endpoint's credentials: a purpose of their own, so neither ciphertext opens as the other. */
    public void sealPingAuthConfig(Buyer buyer, AuthConfig auth) {
        byte[] ciphertext = encrypt(auth, buyer, Purpose.PING_AUTH_CONFIG);
        buyer.pingAuthType = auth.type();
        buyer.pingAuthHint = auth.hint();
        buyer.pingAuthCiphertext = ciphertext;
        buyer.pingAuthKeyId = keyId(ciphertext);
    }

    /** Drops the ping credentials (the buyer no longer bids live): nothing of them is kept. */
    public void forgetPingAuthConfig(Buyer buyer) {
        buyer.pingAuthType = null;
        buyer.pingAuthHint = null;
        buyer.pingAuthCiphertext = null;
        buyer.pingAuthKeyId = null;
    }

    /** The ping credentials in clear, or null when the buyer has no live-bidding endpoint. */
    public AuthConfig openPingAuthConfig(Buyer buyer) {
        if (buyer.pingAuthCiphertext == null) {
            return null;
        }
        return authConfig(decrypt(buyer.pingAuthCiphertext, buyer, Purpose.PING_AUTH_CONFIG), buyer, "ping credentials");
    }

    public void sealWebhookSecret(WebhookSecret row, String secret) {
        row.ciphertext = cipher.encrypt(secret, row.buyerId, Purpose.WEBHOOK_SECRET);
        row.keyId = keyId(row.ciphertext);
        row.plaintext = null;
    }

    public String openWebhookSecret(WebhookSecret row, Buyer buyer) {
        return row.plaintext != null ? row.plaintext : decrypt(row.ciphertext, buyer, Purpose.WEBHOOK_SECRET);
    }

    /** Rewrites a buyer's credentials (delivery, and ping when it has one) under the primary key (or encrypts legacy plaintext). */
    public void reseal(Buyer buyer) {
        AuthConfig ping = openPingAuthConfig(buyer);
        sealAuthConfig(buyer, openAuthConfig(buyer));
        if (ping != null) {
            sealPingAuthConfig(buyer, ping);
        }
    }

    public void reseal(WebhookSecret row, Buyer buyer) {
        sealWebhookSecret(row, openWebhookSecret(row, buyer));
    }

    public long primaryKeyId() {
        return Integer.toUnsignedLong(cipher.primaryKeyId());
    }

    private String decrypt(byte[] ciphertext, Buyer buyer, Purpose purpose) {
        try {
            return cipher.decrypt(ciphertext, buyer.id, purpose);
        } catch (GeneralSecurityException e) {
            // Wrong row (copied ciphertext), tampering, or a retired key: never fall back to anything.
            Log.errorf("A stored %s of buyer %s does not decrypt: copied, tampered with, or its key was retired",
                    purpose, buyer.id);
            throw unreadable();
        }
    }

    private byte[] encrypt(AuthConfig auth, Buyer buyer, Purpose purpose) {
        return cipher.encrypt(toJson(auth), buyer.id, purpose);
    }

    private AuthConfig authConfig(String json, Buyer buyer, String what) {
        try {
            return mapper.readValue(json, AuthConfig.class);
        } catch (JsonProcessingException e) {
            Log.errorf("Stored %s of buyer %s are not readable JSON", what, buyer.id);
            throw unreadable();
        }
    }

    private static long keyId(byte[] ciphertext) {
        return Integer.toUnsignedLong(CredentialCipher.keyIdOf(ciphertext));
    }

    private String toJson(AuthConfig auth) {
        try {
            return mapper.writerFor(AuthConfig.class).writeValueAsString(auth);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("credentials cannot be serialized", e);
        }
    }

    private static ProblemException unreadable() {
        return new ProblemException(500, "credential-unreadable",
                "A stored credential of this buyer cannot be read; operators have been told");
    }
}
