package com.nova.wallet.service;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.idempotency.IdempotencyKeys;
import com.nova.kit.sql.Transactions;
import com.nova.wallet.WalletViews.HoldPage;
import com.nova.wallet.WalletViews.HoldView;
import com.nova.wallet.repository.HoldRepository;
import com.nova.wallet.repository.LedgerRepository;
import com.nova.wallet.repository.LedgerRepository.Claim;
import com.nova.wallet.repository.LedgerRepository.Entry;
import com.nova.wallet.repository.LedgerRepository.Stored;
import com.nova.wallet.service.LedgerService.KeyReused;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Holds for charging sessions, on the ledger's one guarded path: a hold reserves available points
 * (pending entries), a capture spends up to what it reserved and releases the rest (posted
 * entries, and the pending ones reversed), a void or expiry releases everything. Every request
 * runs under an idempotency key whose first answer never changes; a refusal is recorded under it
 * too, so a retry answers the same refusal.
 */
@ApplicationScoped
public class HoldService {

    /** Why a request changed nothing. */
    public enum Refusal {
        /** The available points do not cover the hold. */
        INSUFFICIENT_AVAILABLE("insufficient-available"),
        /** The capture asks for more than the hold reserved. */
        EXCEEDS_HOLD("exceeds-hold"),
        /** The hold was captured already. */
        CAPTURED("hold-captured"),
        /** The hold was voided already. */
        VOIDED("hold-voided"),
        /** The hold's time ran out before it was captured. */
        EXPIRED("hold-expired");

        /** How the refusal is recorded on its transaction. */
        public final String reason;

        Refusal(String reason) {
            this.reason = reason;
        }

        static Refusal of(String reason) {
            for (Refusal r : values()) {
                if (r.reason.equals(reason)) {
                    return r;
                }
            }
            throw new IllegalStateException("unknown refusal " + reason);
        }

        static Refusal ended(String status) {
            return switch (status) {
                case "captured" -> CAPTURED;
                case "voided" -> VOIDED;
                case "expired" -> EXPIRED;
                default -> throw new IllegalStateException("hold is " + status);
            };
        }
    }

    /** The answer to a hold request, new or replayed: the hold, or why nothing happened. */
    public record Outcome(HoldView hold, Refusal refusal, long points, boolean replayed) {
    }

    /** No hold by that id that this caller may act on (the same answer whether it exists or not). */
    public static final class NoSuchHold extends RuntimeException {

        private static final long serialVersionUID = 1L;

        NoSuchHold() {
            super("no such hold", null, false, false);
        }
    }

    public static final String EXPIRY_ACTOR = "system:hold-expiry";

    private final Transactions transactions;
    private final LedgerRepository ledger;
    private final HoldRepository holds;
    private final PointLots lots;
    private final Clock clock;
    private final MeterRegistry metrics;

    public HoldService(Transactions transactions, LedgerRepository ledger, HoldRepository holds, PointLots lots, Clock clock,
            MeterRegistry metrics) {
        this.transactions = transactions;
        this.ledger = ledger;
        this.holds = holds;
        this.lots = lots;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Reserves {@code amount} available points of the driver's for a session at {@code merchantId}. */
    @WithSpan
    public Uni<Outcome> hold(String driverId, String merchantId, long amount, Duration expiresIn, String key) {
        String hash = IdempotencyKeys.requestHash("hold", merchantId, Long.toString(amount), expiresIn.toString());
        UUID id = UUID.randomUUID();
        return transactions.inTransaction(conn -> ledger.claim(conn, new Claim(id, driverId, "HOLD", amount, "hold:" + driverId,
                key, hash, merchantId, null, null, driverId))
                .chain(existing -> existing != null ? replayHold(conn, driverId, existing, hash)
                        : ledger.reserve(conn, driverId, amount).chain(reserved -> !reserved
                                ? refuse(conn, id, driverId, amount, Refusal.INSUFFICIENT_AVAILABLE, null)
                                // Sent together (the connection pipelines them, the database runs them in order).
                                : Uni.combine().all().unis(
                                        ledger.entries(conn, id, List.of(Entry.pending(LedgerRepository.driverAccount(driverId), 'D', amount),
                                                Entry.pending(LedgerRepository.merchantAccount(merchantId), 'C', amount))),
                                        ledger.settle(conn, id, driverId, "COMMITTED", amount, 0, null),
                                        holds.insert(conn, id, driverId, merchantId, amount, now().plus(expiresIn)))
                                        .with((entries, settled, h) -> new Outcome(h, null, amount, false)))))
                .invoke(o -> count(o, "created"));
    }

    /**
     * Spends {@code amount} of what the hold reserved and releases the rest. {@code mayAct} says
     * whether the caller may act on the hold it names (its driver, its merchant, an admin).
     */
    @WithSpan
    public Uni<Outcome> capture(String driverId, UUID holdId, long amount, String key, String actor, Predicate<HoldView> mayAct) {
        String hash = IdempotencyKeys.requestHash("capture", holdId.toString(), Long.toString(amount));
        UUID id = UUID.randomUUID();
        return transactions.inTransaction(conn -> locked(conn, driverId, holdId, mayAct)
                .chain(hold -> ledger.claim(conn, new Claim(id, driverId, "CAPTURE", amount, "capture:" + holdId, key, hash,
                        hold.merchantId(), holdId.toString(), null, actor))
                        .chain(existing -> {
                            if (existing != null) {
                                return replaySettle(hold, existing, hash);
                            }
                            Refusal refused = refusal(hold);
                            if (refused == null && amount > hold.amount()) {
                                refused = Refusal.EXCEEDS_HOLD;
                            }
                            if (refused != null) {
                                Refusal r = refused;
                                return expireIfDue(conn, hold).chain(() -> refuse(conn, id, driverId, amount, r, hold));
                            }
                            // The hold is locked and active: these cannot be refused, so they are sent together
                            // (pipelined on the connection, run in this order).
                            return Uni.combine().all().unis(
                                    ledger.settleReservation(conn, driverId, hold.amount(), amount),
                                    lots.debited(conn, driverId, amount),
                                    ledger.entries(conn, id, captureEntries(hold, amount)),
                                    ledger.settle(conn, id, driverId, "COMMITTED", amount, 0, null),
                                    holds.settle(conn, holdId, "captured", amount, actor, id))
                                    .with((released, debited, entries, settled, h) -> new Outcome(h, null, amount, false));
                        })))
                .invoke(o -> count(o, "captured"))
                .invoke(o -> {
                    if (o.refusal() == null && !o.replayed()) {
                        metrics.counter("wallet_points_redeemed_total").increment(amount);
                    }
                });
    }

    /** Releases everything the hold reserved; voiding a voided hold answers it again. */
    @WithSpan
    public Uni<Outcome> voidHold(String driverId, UUID holdId, String actor, Predicate<HoldView> mayAct) {
        String hash = IdempotencyKeys.requestHash("void", holdId.toString());
        UUID id = UUID.randomUUID();
        return transactions.inTransaction(conn -> locked(conn, driverId, holdId, mayAct)
                .chain(hold -> ledger.claim(conn, new Claim(id, driverId, "RELEASE", hold.amount(), "void:" + holdId, "void", hash,
                        hold.merchantId(), holdId.toString(), "voided", actor))
                        .chain(existing -> {
                            if (existing != null) {
                                return replaySettle(hold, existing, hash);
                            }
                            Refusal refused = refusal(hold);
                            if (refused != null) {
                                return expireIfDue(conn, hold).chain(() -> refuse(conn, id, driverId, hold.amount(), refused, hold));
                            }
                            return release(conn, id, hold, "voided", actor).map(h -> new Outcome(h, null, 0, false));
                        })))
                .invoke(o -> count(o, "voided"));
    }

    /** Expires one hold whose time came; false when it had ended or its time had not come (another instance, a capture). */
    public Uni<Boolean> expire(String driverId, UUID holdId) {
        return transactions.inTransaction(conn -> holds.lock(conn, driverId, holdId).chain(hold -> {
            if (hold == null || !hold.active() || hold.expiresAt().isAfter(now())) {
                return Uni.createFrom().item(false);
            }
            return expireNow(conn, hold).replaceWith(true);
        }));
    }

    public Uni<HoldView> find(String driverId, UUID holdId) {
        return holds.find(driverId, holdId);
    }

    public Uni<HoldPage> list(String driverId, String status, Long before, int limit) {
        return holds.list(driverId, status, before, limit);
    }

    private Uni<HoldView> locked(SqlConnection conn, String driverId, UUID holdId, Predicate<HoldView> mayAct) {
        return holds.lock(conn, driverId, holdId).map(hold -> {
            if (hold == null || !mayAct.test(hold)) {
                throw new NoSuchHold();
            }
            return hold;
        });
    }

    /** Why the hold cannot be captured or voided now: it ended, or its time ran out (the job has not come by yet). */
    private Refusal refusal(HoldView hold) {
        if (!hold.active()) {
            return Refusal.ended(hold.status());
        }
        return hold.expiresAt().isAfter(now()) ? null : Refusal.EXPIRED;
    }

    /** A hold found past its time by a request ends as expired in that request's transaction, as the job would end it. */
    private Uni<Void> expireIfDue(SqlConnection conn, HoldView hold) {
        return hold.active() && !hold.expiresAt().isAfter(now()) ? expireNow(conn, hold).replaceWithVoid()
                : Uni.createFrom().voidItem();
    }

    private Uni<HoldView> expireNow(SqlConnection conn, HoldView hold) {
        UUID id = UUID.randomUUID();
        return ledger.claim(conn, new Claim(id, hold.driverId(), "RELEASE", hold.amount(), "expire:" + hold.holdId(), "expire",
                IdempotencyKeys.requestHash("expire", hold.holdId()), hold.merchantId(), hold.holdId(), "expired", EXPIRY_ACTOR))
                .chain(existing -> existing != null ? Uni.createFrom().item(hold)
                        : release(conn, id, hold, "expired", EXPIRY_ACTOR)
                                .invoke(h -> metrics.counter("wallet_holds_total", "outcome", "expired").increment()));
    }

    private Uni<HoldView> release(SqlConnection conn, UUID id, HoldView hold, String status, String actor) {
        return ledger.settleReservation(conn, hold.driverId(), hold.amount(), 0)
                .chain(() -> ledger.entries(conn, id, releaseEntries(hold)))
                .chain(() -> ledger.settle(conn, id, hold.driverId(), "COMMITTED", hold.amount(), 0, null))
                .chain(() -> holds.settle(conn, UUID.fromString(hold.holdId()), status, null, actor, id));
    }

    /** A refusal, recorded on the claimed transaction so that its key answers it again. */
    private Uni<Outcome> refuse(SqlConnection conn, UUID id, String driverId, long points, Refusal refusal, HoldView hold) {
        return ledger.settle(conn, id, driverId, "REJECTED", points, 0, refusal.reason)
                .map(stored -> new Outcome(hold, refusal, points, false));
    }

    private Uni<Outcome> replayHold(SqlConnection conn, String driverId, Stored existing, String hash) {
        if (!existing.requestHash().equals(hash)) {
            return Uni.createFrom().failure(new KeyReused());
        }
        if ("REJECTED".equals(existing.status())) {
            return Uni.createFrom().item(new Outcome(null, Refusal.of(existing.reason()), existing.points(), true));
        }
        return holds.lock(conn, driverId, existing.id()).map(h -> new Outcome(h, null, existing.points(), true));
    }

    /** A capture or void retried under its key: the hold as it is now (its end never changes), or the same refusal. */
    private static Uni<Outcome> replaySettle(HoldView hold, Stored existing, String hash) {
        if (!existing.requestHash().equals(hash)) {
            return Uni.createFrom().failure(new KeyReused());
        }
        Refusal refusal = "REJECTED".equals(existing.status()) ? Refusal.of(existing.reason()) : null;
        return Uni.createFrom().item(new Outcome(hold, refusal, existing.points(), true));
    }

    /** The hold's pending entries reversed, and what was spent posted: from the driver to the merchant. */
    private static List<Entry> captureEntries(HoldView hold, long spent) {
        String driver = LedgerRepository.driverAccount(hold.driverId());
        String merchant = LedgerRepository.merchantAccount(hold.merchantId());
        List<Entry> entries = new ArrayList<>(releaseEntries(hold));
        if (spent > 0) {
            entries.add(new Entry(driver, 'D', spent));
            entries.add(new Entry(merchant, 'C', spent));
        }
        return entries;
    }

    private static List<Entry> releaseEntries(HoldView hold) {
        return List.of(Entry.pending(LedgerRepository.driverAccount(hold.driverId()), 'C', hold.amount()),
                Entry.pending(LedgerRepository.merchantAccount(hold.merchantId()), 'D', hold.amount()));
    }

    private void count(Outcome o, String done) {
        if (!o.replayed()) {
            metrics.counter("wallet_holds_total", "outcome", o.refusal() == null ? done : o.refusal().reason.replace('-', '_')).increment();
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
