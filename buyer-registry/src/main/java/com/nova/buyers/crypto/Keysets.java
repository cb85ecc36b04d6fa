package com.nova.buyers.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;

/**
 * Keyset chores: generate, add a new primary (rotation), retire non-primary keys once everything
 * is re-encrypted. Run from the command line by {@code deploy/local/buyer-keyset.sh}:
 *
 * <pre>
 * Keysets generate FILE   a new keyset with one AES-256-GCM key (refuses to overwrite)
 * Keysets rotate FILE     add a new AES-256-GCM key and make it primary; old keys still decrypt
 * Keysets retire FILE     drop every non-primary key (only after re-encryption reported 0 remaining)
 * Keysets show FILE       key ids and statuses, no key material
 * </pre>
 */
public final class Keysets {

    private Keysets() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Keysets generate|rotate|retire|show FILE");
            System.exit(2);
        }
        Path file = Path.of(args[1]);
        switch (args[0]) {
            case "generate" -> {
                if (Files.exists(file)) {
                    System.err.println(file + " exists; not overwriting it");
                    System.exit(1);
                }
                write(file, generate());
            }
            case "rotate" -> write(file, rotate(read(file)));
            case "retire" -> write(file, retire(read(file)));
            case "show" -> { }
            default -> {
                System.err.println("unknown command " + args[0]);
                System.exit(2);
            }
        }
        System.out.println(describe(read(file)));
    }

    public static KeysetHandle generate() throws GeneralSecurityException {
        AeadConfig.register();
        return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
    }

    /** A copy of the keyset with a fresh AES-256-GCM key as primary; every existing key stays enabled. */
    public static KeysetHandle rotate(KeysetHandle handle) throws GeneralSecurityException {
        AeadConfig.register();
        KeysetHandle.Builder builder = KeysetHandle.newBuilder(handle);
        builder.addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                .withRandomId().makePrimary());
        return builder.build();
    }

    /** A copy of the keyset holding only its primary key. */
    public static KeysetHandle retire(KeysetHandle handle) throws GeneralSecurityException {
        KeysetHandle.Builder builder = KeysetHandle.newBuilder(handle);
        for (int i = builder.size() - 1; i >= 0; i--) {
            if (!builder.getAt(i).isPrimary()) {
                builder.deleteAt(i);
            }
        }
        return builder.build();
    }

    public static String describe(KeysetHandle handle) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < handle.size(); i++) {
            KeysetHandle.Entry e = handle.getAt(i);
            sb.append(i == 0 ? "" : "\n").append("key ").append(Integer.toUnsignedString(e.getId()))
                    .append(e.isPrimary() ? " primary" : "").append(e.getStatus() == KeyStatus.ENABLED ? "" : " " + e.getStatus());
        }
        return sb.toString();
    }

    public static KeysetHandle parse(String json) throws GeneralSecurityException {
        AeadConfig.register();
        return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
    }

    public static KeysetHandle read(Path file) throws IOException, GeneralSecurityException {
        return parse(Files.readString(file));
    }

    /** Writes atomically (temp file, then rename) with owner-only permissions. */
    public static void write(Path file, KeysetHandle handle) throws IOException, GeneralSecurityException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".keyset", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.writeString(tmp, TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get()));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
