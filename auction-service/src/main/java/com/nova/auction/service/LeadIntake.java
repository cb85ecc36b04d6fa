package com.nova.auction.service;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.auction.LeadRecord;
import com.nova.auction.LeadRecord.LeadStatus;
import com.nova.auction.client.BuyerRegistryClient.EligibleBuyer;
import com.nova.auction.client.ProviderUnavailableException;
import com.nova.auction.config.AuctionConfig;
import com.nova.auction.repository.LeadRepository;
import com.nova.auction.repository.PingRepository;
import com.nova.auction.service.LeadDecider.PingTerms;
import com.nova.auction.service.LeadRefusedException.Reason;
import com.nova.kit.sql.Transactions;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;

/**
 * A lead from submission to decision: normalized ({@link LeadNormalizer}), a retry under the same
 * Idempotency-Key answered again, a duplicate person refused, compliance checked outside any
 * transaction and its verdict routed (pass, reject, or the provider-down policy), then decided in
 * one transaction ({@link LeadDecider}). Held leads are checked again here too ({@link #recheck}).
 */
@ApplicationScoped
public class LeadIntake {

    public static final String SYSTEM_ACTOR = "auction-service";

    private static final String REGISTRY_UNAVAILABLE = "buyer-registry-unavailable";

    /** The buyers an auction may consider, or the fact that buyer-registry could not say (the lead then waits). */
    private sealed interface Bidders {
    }

    private record Known(List<EligibleBuyer> buyers) implements Bidders {
    }

    private record RegistryUnavailable() implements Bidders {
    }

    private final Pool pool;
    private final LeadRepository store;
    private final PingRepository pings;
    private final ComplianceCheck compliance;
    private final EligibleBuyers buyers;
    private final LeadDecider decider;
    private final AuctionConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;

    public LeadIntake(Pool pool, LeadRepository store, PingRepository pings, ComplianceCheck compliance, EligibleBuyers buyers, LeadDecider decider,
            AuctionConfig config, Clock clock, MeterRegistry metrics) {
        this.pool = pool;
        this.store = store;
        this.pings = pings;
        this.compliance = compliance;
        this.buyers = buyers;
        this.decider = decider;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    @WithSpan("lead.submit")
    public Uni<LeadAnswer> submit(String publisherId, String idempotencyKey, LeadSubmission submission) {
        LeadRecord draft = LeadNormalizer.draft(publisherId, idempotencyKey, submission, now());
        OffsetDateTime now = draft.createdAt();
        return store.firstLook(pool, publisherId, idempotencyKey, LeadNormalizer.personKeys(draft), now, now.plus(config.duplicateWindow()))
                .chain(look -> look.earlier() != null ? Uni.createFrom().item(replay(look.earlier(), draft))
                        : submission.pingId() == null ? fresh(draft, null, look.personClaimed())
                                : pinged(draft, UUID.fromString(submission.pingId()), look.personClaimed()))
                .onFailure(LeadIntake::isRace).recoverWithUni(e -> afterRace(draft, e))
                .onFailure(Transactions::isTransient).transform(e -> LeadRefusedException.of(Reason.NOT_DECIDED_IN_TIME))
                .invoke(a -> metrics.counter("auction_leads_total", "status", a.status().name()).increment());
    }

    /** Re-checks a held lead (the retry worker); yields its state afterwards. */
    public Uni<LeadRecord> recheck(LeadRecord held) {
        OffsetDateTime now = now();
        Attempt attempt = Attempt.recheckAt(now);
        if (held.createdAt().plus(config.compliance().holdMaxAge()).isBefore(now)) {
            return decider.recordWithoutAuction(held.with(LeadStatus.REJECTED, "compliance-unverifiable", null, null, now), attempt);
        }
        return compliance.check(facts(held)).chain(verdict -> switch (verdict.kind()) {
            case UNAVAILABLE -> store.deferHeld(pool, held.id(), nextCheck(now), verdict.reason()).replaceWith(held);
            case REJECT -> decider.recordWithoutAuction(held.with(LeadStatus.REJECTED, verdict.reason(), null, null, now), attempt);
            case PASS -> auction(held, attempt);
        });
    }

    /**
     * A post of a ping: the publisher's own ping, for the same vertical, ZIP and state, priced, not
     * used and not expired; then as a direct post, sold at no less than the pinged bid. The ping is
     * taken in the decision's transaction, so a post refused before it (a duplicate, a provider down)
     * leaves the ping to another post.
     */
    private Uni<LeadAnswer> pinged(LeadRecord lead, UUID pingId, boolean personClaimed) {
        OffsetDateTime now = lead.createdAt();
        return pings.find(pool, pingId, lead.publisherId()).chain(ping -> {
            if (ping == null) {
                throw LeadRefusedException.ping(Reason.PING_NOT_FOUND, null);
            }
            for (String[] field : new String[][] { { "vertical", ping.vertical(), lead.vertical() }, { "zip", ping.zip(), lead.zip() },
                    { "state", ping.state(), lead.state() } }) {
                if (!field[1].equals(field[2])) {
                    throw LeadRefusedException.ping(Reason.PING_MISMATCH, field[0]);
                }
            }
            if (ping.price() == null) {
                throw LeadRefusedException.ping(Reason.PING_NOT_PRICED, null);
            }
            // A first look; the decision transaction takes the ping for good, or refuses the same way.
            if (ping.leadId() != null) {
                throw LeadRefusedException.ping(Reason.PING_USED, null);
            }
            if (!ping.expiresAt().isAfter(now)) {
                throw LeadRefusedException.ping(Reason.PING_EXPIRED, ping.expiresAt().toString());
            }
            return fresh(lead, new PingTerms(ping.id(), ping.bid(), ping.buyerId(), ping.price(), ping.expiresAt(),
                    ping.countingLiveBids(), ping.mode()), personClaimed);
        });
    }

    private Uni<LeadAnswer> fresh(LeadRecord lead, PingTerms terms, boolean personClaimed) {
        if (personClaimed) {
            // Another lead's: this submission's own earlier attempt commits its lead and its claim
            // together, so the same first look would have found it by its key.
            return Uni.createFrom().failure(duplicate());
        }
        return compliance.check(facts(lead))
                .chain(verdict -> route(lead, verdict, Attempt.firstSubmissionOf(lead), terms))
                .map(l -> LeadAnswer.of(l, false));
    }

    /** A new lead's compliance verdict: to auction, rejected, or (a provider down) as {@code when-provider-down} says. */
    private Uni<LeadRecord> route(LeadRecord lead, Verdict verdict, Attempt attempt, PingTerms terms) {
        OffsetDateTime now = attempt.now();
        if (terms != null && verdict.kind() == Verdict.Kind.UNAVAILABLE
                && config.compliance().whenProviderDown() == AuctionConfig.ProviderDownPolicy.HOLD) {
            // A ping's price does not wait for a later check: nothing is stored, and the same post may come again.
            return Uni.createFrom().failure(LeadRefusedException.of(Reason.NOT_DECIDED_IN_TIME));
        }
        return switch (verdict.kind()) {
            case REJECT -> decider.recordWithoutAuction(lead.with(LeadStatus.REJECTED, verdict.reason(), null, null, now), attempt);
            case PASS -> auction(lead, attempt, terms);
            case UNAVAILABLE -> switch (config.compliance().whenProviderDown()) {
                case HOLD -> decider.recordWithoutAuction(lead.with(LeadStatus.HELD, verdict.reason(), null, null, now), attempt);
                case REJECT -> decider.recordWithoutAuction(lead.with(LeadStatus.REJECTED, verdict.reason(), null, null, now), attempt);
                case ALLOW -> auction(lead.with(lead.status(), "compliance-unchecked:" + verdict.reason(), null, null, now), attempt, terms);
            };
        };
    }

    /** Auctions the lead among its vertical's buyers; while buyer-registry cannot say who they are, the lead is held. */
    private Uni<LeadRecord> auction(LeadRecord lead, Attempt attempt) {
        return auction(lead, attempt, null);
    }

    private Uni<LeadRecord> auction(LeadRecord lead, Attempt attempt, PingTerms terms) {
        return buyers.forVertical(lead.vertical())
                .<Bidders>map(Known::new)
                .onFailure(ProviderUnavailableException.class).recoverWithItem(new RegistryUnavailable())
                .chain(bidders -> {
                    if (bidders instanceof Known known) {
                        return decider.auction(lead, known.buyers(), attempt.at(now()), terms);
                    }
                    if (terms != null) {
                        // As with a compliance provider down: a ping's price does not wait; nothing is stored.
                        return Uni.createFrom().failure(LeadRefusedException.of(Reason.NOT_DECIDED_IN_TIME));
                    }
                    return holdForRegistry(lead, attempt).chain(() -> store.find(pool, lead.id()));
                });
    }

    /** A new lead is stored HELD; a held one waits for its next check. */
    private Uni<Void> holdForRegistry(LeadRecord lead, Attempt attempt) {
        if (attempt.isFirstSubmission()) {
            return decider.recordWithoutAuction(lead.with(LeadStatus.HELD, REGISTRY_UNAVAILABLE, null, null, lead.updatedAt()),
                    attempt).replaceWithVoid();
        }
        return store.deferHeld(pool, lead.id(), nextCheck(now()), REGISTRY_UNAVAILABLE);
    }

    private LeadAnswer replay(LeadRecord existing, LeadRecord draft) {
        if (!existing.requestHash().equals(draft.requestHash())) {
            throw LeadRefusedException.of(Reason.IDEMPOTENCY_KEY_REUSED);
        }
        return LeadAnswer.of(existing, true);
    }

    /** Two submissions raced: the same Idempotency-Key (replay the winner's answer) or the same person (409). */
    private Uni<LeadAnswer> afterRace(LeadRecord draft, Throwable e) {
        return store.findByIdempotencyKey(pool, draft.publisherId(), draft.idempotencyKey()).map(existing -> {
            if (existing != null) {
                return replay(existing, draft);
            }
            throw duplicate();
        });
    }

    private static boolean isRace(Throwable e) {
        return e instanceof PgException pg && ("23P01".equals(pg.getSqlState())
                || ("23505".equals(pg.getSqlState()) && "lead_idempotency_key".equals(pg.getConstraint())));
    }

    private LeadRefusedException duplicate() {
        return LeadRefusedException.duplicatePerson(config.duplicateWindow());
    }

    private OffsetDateTime nextCheck(OffsetDateTime now) {
        return now.plus(config.compliance().holdRetryInterval());
    }

    private static ComplianceCheck.LeadFacts facts(LeadRecord lead) {
        return new ComplianceCheck.LeadFacts(lead.id().toString(), lead.trustedFormCertUrl(), lead.email(), lead.phone(),
                lead.zip(), lead.state());
    }

    OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
