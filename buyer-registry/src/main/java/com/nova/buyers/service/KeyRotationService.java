package com.nova.buyers.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.nova.buyers.Buyer;
import com.nova.buyers.WebhookSecret;
import com.nova.buyers.config.BuyersConfig;
import com.nova.buyers.crypto.CredentialCipher;
import com.nova.buyers.repository.BuyerRepository;
import com.nova.buyers.repository.WebhookSecretRepository;
import com.nova.buyers.service.BuyerViews.ReencryptionReport;
import com.nova.kit.audit.AuditTrail;
import com.nova.kit.problem.ProblemException;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.core.Vertx;

/**
 * Rewrites every credential and webhook secret under the keyset's primary key, and encrypts rows
 * still holding legacy plaintext. Works in batches, each its own transaction with its
 * own audit row and rows locked with SKIP LOCKED: a run that stops half way has kept what it did,
 * the next run picks up the rest, two runs at once share the work, and a run with nothing left to
 * do changes nothing. A row that cannot be read (tampered, or under a key already retired) is
 * passed over and reported, so one bad row never blocks the others.
 */
@ApplicationScoped
public class KeyRotationService {

    private final BuyerRepository buyers;
    private final WebhookSecretRepository secrets;
    private final CredentialStore credentials;
    private final CredentialCipher cipher;
    private final AuditTrail audit;
    private final BuyersConfig.Crypto config;
    private final Vertx vertx;
    private final MeterRegistry metrics;

    /** What one run has done so far. */
    private static final class Progress {
        int buyers;
        int secrets;
        int legacy;
        final List<UUID> unreadableBuyers = new ArrayList<>();
        final List<Long> unreadableSecrets = new ArrayList<>();
    }

    public KeyRotationService(BuyerRepository buyers, WebhookSecretRepository secrets, CredentialStore credentials,
            CredentialCipher cipher, AuditTrail audit, BuyersConfig config, Vertx vertx, MeterRegistry metrics) {
        this.buyers = buyers;
        this.secrets = secrets;
        this.credentials = credentials;
        this.cipher = cipher;
        this.audit = audit;
        this.config = config.crypto();
        this.vertx = vertx;
        this.metrics = metrics;
    }

    /** Whether legacy plaintext has been encrypted (or there is none to look for): the service is ready only then. */
    private volatile boolean legacyEncrypted;

    public boolean legacyEncrypted() {
        return legacyEncrypted || !config.encryptLegacyAtStart();
    }

    /**
     * Legacy plaintext is encrypted before the service takes traffic ({@link LegacyEncryptionCheck}).
     * A pod may start before its release's migration Job has run: then the tables are not there
     * yet, and the pass is tried again every few seconds instead of failing the start.
     */
    void encryptLegacyAtStart(@Observes StartupEvent event) {
        if (config.encryptLegacyAtStart()) {
            encryptLegacy(1);
        }
    }

    private void encryptLegacy(int attempt) {
        // Off the event loop, on a duplicated context Hibernate Reactive accepts (VertxContextSupport).
        Thread pass = new Thread(() -> {
            try {
                ReencryptionReport report = VertxContextSupport.subscribeAndAwait(() -> reencrypt("system:legacy-encryption"));
                legacyEncrypted = true;
                if (report.legacyPlaintextEncrypted() + report.buyersReencrypted() + report.secretsReencrypted() > 0) {
                    Log.infof("At start: encrypted %d legacy plaintext rows, re-encrypted %d credentials and %d secrets",
                            report.legacyPlaintextEncrypted(), report.buyersReencrypted(), report.secretsReencrypted());
                }
            } catch (Throwable e) {
                Log.warnf("Legacy encryption pass %d could not run (%s); not ready, trying again in 5 s", attempt, e.getMessage());
                vertx.setTimer(5_000, id -> encryptLegacy(attempt + 1));
            }
        }, "legacy-encryption");
        pass.setDaemon(true);
        pass.start();
    }

    /** Re-reads the keyset (a rotated file), then rewrites every row not under its primary key. */
    @WithSpan
    public Uni<ReencryptionReport> reencrypt(String actor) {
        return vertx.executeBlocking(Uni.createFrom().item(cipher::reloadIfChanged))
                .chain(reloaded -> run(actor, credentials.primaryKeyId(), new Progress()));
    }

    private Uni<ReencryptionReport> run(String actor, long primary, Progress progress) {
        return Panache.withTransaction(() -> batch(actor, primary, progress))
                .chain(done -> done == 0 ? report(primary, progress) : run(actor, primary, progress));
    }

    /** One batch of buyers and secrets; yields how many rows it rewrote. */
    private Uni<Integer> batch(String actor, long primary, Progress progress) {
        int limit = config.batchSize();
        return buyers.lockNeedingReencryption(primary, limit, progress.unreadableBuyers)
                .chain(ids -> ids.isEmpty() ? Uni.createFrom().item(List.<Buyer>of()) : buyers.list("id in ?1", ids))
                .chain(buyerRows -> secrets.lockNeedingReencryption(primary, limit, progress.unreadableSecrets)
                        .chain(ids -> ids.isEmpty() ? Uni.createFrom().item(List.<WebhookSecret>of())
                                : secrets.list("id in ?1", ids))
                        .chain(secretRows -> owners(secretRows)
                                .map(owners -> reseal(buyerRows, secretRows, owners, progress))))
                .call(counts -> counts[0] + counts[1] == 0 ? Uni.createFrom().voidItem()
                        : audit.record(actor, "keys.reencrypted", "keyset:" + primary, Map.of(
                                "primaryKeyId", primary, "buyers", counts[0], "webhookSecrets", counts[1],
                                "legacyPlaintext", counts[2])))
                .map(counts -> {
                    metrics.counter("buyers_reencrypted_total").increment(counts[0] + counts[1]);
                    return counts[0] + counts[1] + counts[3];
                });
    }

    /** Rewrites what it can; yields {buyers, secrets, legacy, unreadable} for this batch. */
    private int[] reseal(List<Buyer> buyerRows, List<WebhookSecret> secretRows, Map<UUID, Buyer> owners,
            Progress progress) {
        int[] counts = new int[4];
        for (Buyer b : buyerRows) {
            boolean legacy = b.authPlaintext != null;
            try {
                credentials.reseal(b);
                counts[0]++;
                counts[2] += legacy ? 1 : 0;
            } catch (ProblemException unreadable) {
                progress.unreadableBuyers.add(b.id);
                counts[3]++;
            }
        }
        for (WebhookSecret s : secretRows) {
            boolean legacy = s.plaintext != null;
            try {
                credentials.reseal(s, owners.get(s.buyerId));
                counts[1]++;
                counts[2] += legacy ? 1 : 0;
            } catch (ProblemException unreadable) {
                progress.unreadableSecrets.add(s.id);
                counts[3]++;
            }
        }
        progress.buyers += counts[0];
        progress.secrets += counts[1];
        progress.legacy += counts[2];
        return counts;
    }

    /** The buyers owning these secret rows (their ids are the associated data). */
    private Uni<Map<UUID, Buyer>> owners(List<WebhookSecret> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<UUID> ids = rows.stream().map(r -> r.buyerId).distinct().toList();
        return buyers.list("id in ?1", ids).map(list -> {
            Map<UUID, Buyer> byId = new HashMap<>();
            list.forEach(b -> byId.put(b.id, b));
            return byId;
        });
    }

    private Uni<ReencryptionReport> report(long primary, Progress progress) {
        if (!progress.unreadableBuyers.isEmpty() || !progress.unreadableSecrets.isEmpty()) {
            Log.errorf("Re-encryption passed over unreadable rows: buyers %s, webhook secrets %s",
                    progress.unreadableBuyers, progress.unreadableSecrets);
        }
        return Panache.withSession(() -> buyers.countNeedingReencryption(primary)
                .chain(b -> secrets.countNeedingReencryption(primary).map(s -> b + s)))
                .map(remaining -> new ReencryptionReport(primary, progress.buyers, progress.secrets, progress.legacy,
                        progress.unreadableBuyers.size() + progress.unreadableSecrets.size(), remaining));
    }
}
