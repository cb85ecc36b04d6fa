package com.nova.auction.service;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.auction.LeadRecord;
import com.nova.auction.LeadRecord.LeadStatus;
import com.nova.auction.client.BuyerRegistryClient.EligibleBuyer;
import com.nova.auction.client.ProviderUnavailableException;
import com.nova.auction.config.AuctionConfig;
import com.nova.auction.repository.LeadRepository;
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
    private final ComplianceCheck compliance;
    private final EligibleBuyers buyers;
    private final LeadDecider decider;
    private final AuctionConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;

    public LeadIntake(Pool pool, LeadRepository store, ComplianceCheck compliance, EligibleBuyers buyers, LeadDecider decider,
            AuctionConfig config, Clock clock, MeterRegistry metrics) {
        this.pool = pool;
        this.store = store;
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
        return store.findByIdempotencyKey(pool, publisherId, idempotencyKey)
                .chain(existing -> existing != null ? Uni.createFrom().item(replay(existing, draft)) : fresh(draft))
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

    private Uni<LeadAnswer> fresh(LeadRecord lead) {
        OffsetDateTime now = lead.createdAt();
        return store.personClaimed(pool, LeadNormalizer.personKeys(lead), now, now.plus(config.duplicateWindow()))
                .chain(claimed -> claimed
                        // Claimed by another lead, or by this very submission's earlier attempt, committed
                        // since the key was looked up (a client retrying one it got no answer for): as after a race.
                        ? afterRace(lead, null)
                        : compliance.check(facts(lead))
                                .chain(verdict -> route(lead, verdict, Attempt.firstSubmissionOf(lead)))
                                .map(l -> LeadAnswer.of(l, false)));
    }

    /** A new lead's compliance verdict: to auction, rejected, or (a provider down) as {@code when-provider-down} says. */
    private Uni<LeadRecord> route(LeadRecord lead, Verdict verdict, Attempt attempt) {
        OffsetDateTime now = attempt.now();
        return switch (verdict.kind()) {
            case REJECT -> decider.recordWithoutAuction(lead.with(LeadStatus.REJECTED, verdict.reason(), null, null, now), attempt);
            case PASS -> auction(lead, attempt);
            case UNAVAILABLE -> switch (config.compliance().whenProviderDown()) {
                case HOLD -> decider.recordWithoutAuction(lead.with(LeadStatus.HELD, verdict.reason(), null, null, now), attempt);
                case REJECT -> decider.recordWithoutAuction(lead.with(LeadStatus.REJECTED, verdict.reason(), null, null, now), attempt);
                case ALLOW -> auction(lead.with(lead.status(), "compliance-unchecked:" + verdict.reason(), null, null, now), attempt);
            };
        };
    }

    /** Auctions the lead among its vertical's buyers; while buyer-registry cannot say who they are, the lead is held. */
    private Uni<LeadRecord> auction(LeadRecord lead, Attempt attempt) {
        return buyers.forVertical(lead.vertical())
                .<Bidders>map(Known::new)
                .onFailure(ProviderUnavailableException.class).recoverWithItem(new RegistryUnavailable())
                .chain(bidders -> bidders instanceof Known known ? decider.auction(lead, known.buyers(), attempt.at(now()))
                        : holdForRegistry(lead, attempt).chain(() -> store.find(pool, lead.id())));
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
