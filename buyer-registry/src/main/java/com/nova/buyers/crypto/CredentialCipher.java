package com.nova.buyers.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.nova.buyers.config.BuyersConfig;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Encrypts buyer credentials and webhook secrets with Tink AEAD (AES-256-GCM). The associated data
 * binds a ciphertext to its buyer and purpose, so a ciphertext copied into another row, or from a
 * credential column into a secret column, does not decrypt. Tink prefixes each ciphertext with the
 * id of the key that wrote it, which is how re-encryption finds rows not yet under the primary key.
 */
@ApplicationScoped
public class CredentialCipher {

    /** What a ciphertext protects; part of the associated data. */
    public enum Purpose {
        AUTH_CONFIG("auth-config"),
        PING_AUTH_CONFIG("ping-auth-config"),
        WEBHOOK_SECRET("webhook-secret");

        private final String label;

        Purpose(String label) {
            this.label = label;
        }
    }

    private final BuyersConfig.Crypto config;
    private final Vertx vertx;
    private volatile Loaded current;
    private volatile FileTime loadedFileTime;
    private long timer = -1;

    private record Loaded(KeysetHandle handle, Aead aead, int primaryKeyId) {
    }

    public CredentialCipher(BuyersConfig config, Vertx vertx) {
        this.config = config.crypto();
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        reload();
        if (config.keysetFile().isPresent()) {
            timer = vertx.setPeriodic(config.reloadInterval().toMillis(), id -> vertx.executeBlocking(() -> {
                reloadIfChanged();
                return null;
            }, false));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    public byte[] encrypt(String plaintext, UUID buyerId, Purpose purpose) {
        try {
            return loaded().aead.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), associatedData(buyerId, purpose));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encryption failed", e);
        }
    }

    /** Throws {@link GeneralSecurityException} when the ciphertext was not written for this buyer and purpose. */
    public String decrypt(byte[] ciphertext, UUID buyerId, Purpose purpose) throws GeneralSecurityException {
        return new String(loaded().aead.decrypt(ciphertext, associatedData(buyerId, purpose)), StandardCharsets.UTF_8);
    }

    /** The id of the key new ciphertexts are written with. */
    public int primaryKeyId() {
        return loaded().primaryKeyId;
    }

    /** The id of the key that wrote a ciphertext (Tink's 5-byte prefix: version 0x01, then the key id). */
    public static int keyIdOf(byte[] ciphertext) {
        if (ciphertext.length < 5 || ciphertext[0] != 0x01) {
            throw new IllegalArgumentException("not a Tink-prefixed ciphertext");
        }
        return ByteBuffer.wrap(ciphertext, 1, 4).getInt();
    }

    /** Re-reads the keyset file when it changed (a rotated Kubernetes Secret); true when it did. */
    public synchronized boolean reloadIfChanged() {
        Path file = config.keysetFile().orElse(null);
        if (file == null || config.keyset().isPresent()) {
            return false;
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(loadedFileTime)) {
                return false;
            }
        } catch (IOException e) {
            Log.warnf("Cannot read the keyset file %s; keeping the loaded keyset", file);
            return false;
        }
        int before = primaryKeyId();
        reload();
        Log.infof("Keyset reloaded: primary key %d (was %d)", primaryKeyId(), before);
        return true;
    }

    /** Loads the keyset from configuration (inline JSON first, then the file). */
    public synchronized void reload() {
        try {
            AeadConfig.register();
            String json;
            if (config.keyset().isPresent() && !config.keyset().get().isBlank()) {
                json = config.keyset().get();
            } else {
                Path file = config.keysetFile().orElseThrow(() -> new IllegalStateException(
                        "No keyset configured: set buyers.crypto.keyset (BUYERS_CRYPTO_KEYSET) or buyers.crypto.keyset-file"));
                if (!Files.exists(file)) {
                    if (!config.generateIfMissing()) {
                        throw new IllegalStateException("The keyset file " + file + " does not exist");
                    }
                    Keysets.write(file, Keysets.generate());
                    Log.infof("Generated a development keyset in %s (git-ignored; never use it in production)", file);
                }
                loadedFileTime = Files.getLastModifiedTime(file);
                json = Files.readString(file);
            }
            KeysetHandle handle = Keysets.parse(json);
            current = new Loaded(handle, handle.getPrimitive(RegistryConfiguration.get(), Aead.class),
                    handle.getPrimary().getId());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot load the credential keyset", e);
        }
    }

    private Loaded loaded() {
        Loaded l = current;
        if (l == null) {
            reload();
            l = current;
        }
        return l;
    }

    private static byte[] associatedData(UUID buyerId, Purpose purpose) {
        return ("nova.buyer-registry:" + purpose.label + ":" + buyerId).getBytes(StandardCharsets.UTF_8);
    }
}
