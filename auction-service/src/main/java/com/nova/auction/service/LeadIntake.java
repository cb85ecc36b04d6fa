package com.nova.auction.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nova.auction.Auction;
import com.nova.auction.LeadRecord;
import com.nova.auction.LeadRecord.LeadStatus;
import com.nova.auction.client.BuyerRegistryClient.EligibleBuyer;
import com.nova.auction.client.ProviderUnavailableException;
import com.nova.auction.config.AuctionConfig;
import com.nova.auction.repository.LeadRepository;
import com.nova.auction.service.LeadFaults.Step;
import com.nova.auction.service.LeadRefusedException.Reason;
import com.nova.auction.validation.PhoneNumbers;
import com.nova.kit.audit.AuditTrail;
import com.nova.kit.events.EventEnvelope;
import com.nova.kit.outbox.Outbox;
import com.nova.kit.outbox.OutboxRelay;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/**
 * A lead from submission to decision: normalize and sanitize, refuse duplicates, check compliance
 * outside any transaction, then decide in one transaction (claims on the person, the buyer's caps
 * and budget, the lead, its auction and every bid's outcome, revenue, the delivery and its outbox
 * event, the audit row): all of it commits, or none of it.
 */
@ApplicationScoped
public class LeadIntake {

    public static final String DELIVERY_STREAM = "auction.deliveries";
    public static final String SYSTEM_ACTOR = "auction-service";

    private final Pool pool;
    private final LeadRepository store;
    private final ComplianceCheck compliance;
    private final EligibleBuyers buyers;
    private final AuditTrail audit;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final AuctionConfig config;
    private final Clock clock;
    private final LeadFaults faults;
    private final ObjectMapper mapper;
    private final MeterRegistry metrics;

    public LeadIntake(Pool pool, LeadRepository store, ComplianceCheck compliance, EligibleBuyers buyers, AuditTrail audit,
            Outbox outbox, OutboxRelay relay, AuctionConfig config, Clock clock, LeadFaults faults, ObjectMapper mapper,
            MeterRegistry metrics) {
        this.pool = pool;
        this.store = store;
        this.compliance = compliance;
        this.buyers = buyers;
        this.audit = audit;
        this.outbox = outbox;
        this.relay = relay;
        this.config = config;
        this.clock = clock;
        this.faults = faults;
        this.mapper = mapper;
        this.metrics = metrics;
    }

    @WithSpan("lead.submit")
    public Uni<LeadAnswer> submit(String publisherId, String idempotencyKey, LeadSubmission submission) {
        LeadRecord draft = normalize(publisherId, idempotencyKey, submission);
        return store.findByIdempotencyKey(pool, publisherId, idempotencyKey)
                .chain(existing -> existing != null ? Uni.createFrom().item(replay(existing, draft)) : fresh(draft))
                .onFailure(LeadIntake::isRace).recoverWithUni(e -> afterRace(draft, e))
                .onFailure(LeadIntake::isTransient).transform(e -> LeadRefusedException.of(Reason.NOT_DECIDED_IN_TIME))
                .invoke(a -> metrics.counter("auction_leads_total", "status", a.status().name()).increment());
    }

    /** Re-checks a held lead (the retry worker); yields its state afterwards. */
    public Uni<LeadRecord> recheck(LeadRecord held) {
        OffsetDateTime now = now();
        if (held.createdAt().plus(config.compliance().holdMaxAge()).isBefore(now)) {
            return record(held.with(LeadStatus.REJECTED, "compliance-unverifiable", null, null, now), false, SYSTEM_ACTOR);
        }
        return compliance.check(facts(held)).chain(verdict -> switch (verdict.kind()) {
            case UNAVAILABLE -> store.deferHeld(pool, held.id(), now.plus(config.compliance().holdRetryInterval()), verdict.reason())
                    .replaceWith(held);
            case REJECT -> record(held.with(LeadStatus.REJECTED, verdict.reason(), null, null, now), false, SYSTEM_ACTOR);
            case PASS -> auction(held, false, SYSTEM_ACTOR);
        });
    }

    private Uni<LeadAnswer> fresh(LeadRecord lead) {
        OffsetDateTime now = lead.createdAt();
        return store.personClaimed(pool, personKeys(lead), now, now.plus(config.duplicateWindow()))
                .chain(claimed -> {
                    if (claimed) {
                        return Uni.createFrom().failure(duplicate());
                    }
                    return compliance.check(facts(lead));
                })
                .chain(verdict -> decide(lead, verdict))
                .map(l -> LeadAnswer.of(l, false));
    }

    private Uni<LeadRecord> decide(LeadRecord lead, Verdict verdict) {
        String actor = lead.publisherId();
        OffsetDateTime now = lead.createdAt();
        return switch (verdict.kind()) {
            case REJECT -> record(lead.with(LeadStatus.REJECTED, verdict.reason(), null, null, now), true, actor);
            case PASS -> auction(lead, true, actor);
            case UNAVAILABLE -> switch (config.compliance().whenProviderDown()) {
                case HOLD -> record(lead.with(LeadStatus.HELD, verdict.reason(), null, null, now), true, actor);
                case REJECT -> record(lead.with(LeadStatus.REJECTED, verdict.reason(), null, null, now), true, actor);
                case ALLOW -> auction(lead.with(lead.status(), "compliance-unchecked:" + verdict.reason(), null, null, now),
                        true, actor);
            };
        };
    }

    /** A lead that does not go to auction (now): rejected, or held for a later check. */
    private Uni<LeadRecord> record(LeadRecord lead, boolean isNew, String actor) {
        OffsetDateTime nextCheck = lead.status() == LeadStatus.HELD
                ? lead.updatedAt().plus(config.compliance().holdRetryInterval()) : null;
        return pool.withTransaction(conn -> store.limitTransaction(conn, config.transactionTimeout().toMillis())
                .chain(() -> {
                    if (isNew) {
                        // A held lead keeps the person claimed (it may still sell); a rejected one does not.
                        Uni<Void> claim = lead.status() == LeadStatus.HELD ? claim(conn, lead) : Uni.createFrom().voidItem();
                        return claim.chain(() -> store.insertLead(conn, lead, nextCheck)).replaceWith(true);
                    }
                    return store.updateStatus(conn, lead, LeadStatus.HELD, nextCheck)
                            .call(changed -> changed ? store.releasePerson(conn, lead.id()) : Uni.createFrom().voidItem());
                })
                .chain(changed -> !changed ? store.find(conn, lead.id())
                        : audit.record(conn, actor, "lead." + lead.status().name().toLowerCase(), target(lead),
                                details(lead, Map.of())).replaceWith(lead)));
    }

    private Uni<LeadRecord> auction(LeadRecord lead, boolean isNew, String actor) {
        return buyers.forVertical(lead.vertical())
                .onFailure(ProviderUnavailableException.class).recoverWithUni(e -> isNew
                        ? record(lead.with(LeadStatus.HELD, "buyer-registry-unavailable", null, null, lead.updatedAt()), true, actor)
                                .replaceWith((List<EligibleBuyer>) null)
                        : store.deferHeld(pool, lead.id(), now().plus(config.compliance().holdRetryInterval()),
                                "buyer-registry-unavailable").replaceWith((List<EligibleBuyer>) null))
                .chain(list -> {
                    if (list == null) {
                        return store.find(pool, lead.id());
                    }
                    return pool.withTransaction(conn -> decideInTransaction(conn, lead, list, isNew, actor))
                            .invoke(decided -> {
                                if (decided.status() == LeadStatus.SOLD) {
                                    relay.poke();
                                }
                            });
                });
    }

    private Uni<LeadRecord> decideInTransaction(SqlConnection conn, LeadRecord lead, List<EligibleBuyer> eligible,
            boolean isNew, String actor) {
        OffsetDateTime now = isNew ? lead.createdAt() : now();
        LocalDate day = now.toLocalDate();
        LocalDate month = day.withDayOfMonth(1);
        List<EligibleBuyer> considered = Auctioneer.considered(eligible, lead.vertical(), lead.state());
        UUID[] ids = considered.stream().map(EligibleBuyer::id).toArray(UUID[]::new);
        Uni<Boolean> start = store.limitTransaction(conn, config.transactionTimeout().toMillis())
                .chain(() -> isNew ? claim(conn, lead).replaceWith(true)
                        : store.lockHeld(conn, lead.id()).map(held -> held != null));
        return start.chain(open -> {
            if (!open) {
                // Another instance decided this held lead meanwhile.
                return store.find(conn, lead.id());
            }
            faults.after(Step.CLAIMED);
            return store.usage(conn, ids, day, month).chain(usage -> {
                Map<UUID, Auction.Outcome> excluded = new HashMap<>();
                List<EligibleBuyer> bidders = new ArrayList<>();
                for (EligibleBuyer b : considered) {
                    Auction.Outcome why = Auctioneer.exclusion(b, lead.zip(), usage.getOrDefault(b.id(), Auction.Usage.NONE));
                    if (why != null) {
                        excluded.put(b.id(), why);
                    } else {
                        bidders.add(b);
                    }
                }
                List<EligibleBuyer> ranked = Auctioneer.rank(bidders);
                return reserveFirst(conn, lead, ranked, 0, excluded, day, month)
                        .chain(winner -> write(conn, lead, considered, ranked, excluded, winner, now, isNew, actor));
            });
        });
    }

    /** Reserves caps and budget for the best bidder who still has room; a bidder another auction just filled is excluded. */
    private Uni<EligibleBuyer> reserveFirst(SqlConnection conn, LeadRecord lead, List<EligibleBuyer> ranked, int i,
            Map<UUID, Auction.Outcome> excluded, LocalDate day, LocalDate month) {
        if (i >= ranked.size()) {
            return Uni.createFrom().nullItem();
        }
        EligibleBuyer b = ranked.get(i);
        return store.reserve(conn, b.id(), day, month, Auctioneer.money(b.bidAmount()), b.dailyCap(), b.monthlyCap(),
                b.dailyBudget())
                .chain(reserved -> {
                    if (reserved) {
                        return Uni.createFrom().item(b);
                    }
                    return store.usage(conn, new UUID[] { b.id() }, day, month).chain(now -> {
                        Auction.Outcome why = Auctioneer.exclusion(b, lead.zip(), now.getOrDefault(b.id(), Auction.Usage.NONE));
                        excluded.put(b.id(), why == null ? Auction.Outcome.OVER_DAILY_CAP : why);
                        return reserveFirst(conn, lead, ranked, i + 1, excluded, day, month);
                    });
                });
    }

    private Uni<LeadRecord> write(SqlConnection conn, LeadRecord lead, List<EligibleBuyer> considered,
            List<EligibleBuyer> ranked, Map<UUID, Auction.Outcome> excluded, EligibleBuyer winner, OffsetDateTime now,
            boolean isNew, String actor) {
        faults.after(Step.RESERVED);
        boolean sold = winner != null;
        BigDecimal price = sold ? Auctioneer.money(winner.bidAmount()) : null;
        String reason = sold ? lead.statusReason() : "no-eligible-buyer";
        LeadRecord decided = lead.with(sold ? LeadStatus.SOLD : LeadStatus.UNSOLD, reason, sold ? winner.id() : null, price, now);
        EligibleBuyer runnerUp = sold ? ranked.stream()
                .filter(b -> !b.id().equals(winner.id()) && !excluded.containsKey(b.id())).findFirst().orElse(null) : null;
        Auction.Rule rule = sold ? Auctioneer.decidingRule(winner, runnerUp) : Auction.Rule.NO_ELIGIBLE_BUYER;
        List<Auction.Bid> bids = Auctioneer.outcomes(considered, excluded, winner);

        Uni<Void> leadRow = isNew ? store.insertLead(conn, decided, null)
                : store.updateStatus(conn, decided, LeadStatus.HELD, null).replaceWithVoid();
        return leadRow
                .invoke(() -> faults.after(Step.LEAD_WRITTEN))
                .chain(() -> store.insertAuction(conn, decided.id(), now, decided.buyerId(), price, rule, bids))
                .invoke(() -> faults.after(Step.AUCTION_WRITTEN))
                .chain(() -> sold ? sale(conn, decided, now) : Uni.createFrom().voidItem())
                .chain(() -> {
                    Map<String, Object> extra = new LinkedHashMap<>();
                    extra.put("rule", rule.name());
                    extra.put("considered", considered.size());
                    return audit.record(conn, actor, "lead." + decided.status().name().toLowerCase(), target(decided),
                            details(decided, extra));
                })
                .invoke(() -> faults.after(Step.AUDITED))
                .replaceWith(decided);
    }

    private Uni<Void> sale(SqlConnection conn, LeadRecord lead, OffsetDateTime now) {
        BigDecimal payout = Auctioneer.payout(lead.price(), config.revenue().publisherShare());
        BigDecimal margin = lead.price().subtract(payout);
        ObjectNode data = mapper.createObjectNode().put("leadId", lead.id().toString()).put("buyerId", lead.buyerId().toString());
        EventEnvelope envelope = EventEnvelope.create("lead.sold", SYSTEM_ACTOR, lead.id().toString(), now.toInstant(),
                lead.id().toString(), data);
        return store.insertSale(conn, lead, payout, margin, now)
                .invoke(() -> faults.after(Step.REVENUE_WRITTEN))
                .chain(() -> store.insertDelivery(conn, lead.id(), lead.buyerId(), now))
                .invoke(() -> faults.after(Step.DELIVERY_WRITTEN))
                .chain(() -> outbox.enqueue(conn, DELIVERY_STREAM, envelope))
                .invoke(() -> faults.after(Step.OUTBOX_WRITTEN));
    }

    private Uni<Void> claim(SqlConnection conn, LeadRecord lead) {
        OffsetDateTime from = lead.createdAt();
        return store.claimPerson(conn, lead.id(), personKeys(lead), from, from.plus(config.duplicateWindow()));
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

    /**
     * The transaction ran out of its time budget (statement or idle timeout), or lost a lock or
     * serialization race: everything rolled back and the same request can simply be sent again.
     */
    private static boolean isTransient(Throwable e) {
        return e instanceof PgException pg && switch (String.valueOf(pg.getSqlState())) {
            case "57014", "25P03", "55P03", "40001", "40P01" -> true;
            default -> false;
        };
    }

    private LeadRefusedException duplicate() {
        return LeadRefusedException.duplicatePerson(config.duplicateWindow());
    }

    private LeadRecord normalize(String publisherId, String key, LeadSubmission s) {
        OffsetDateTime now = now();
        String phone = PhoneNumbers.toE164(s.phone()).orElseThrow(() -> LeadRefusedException.of(Reason.INVALID_PHONE));
        String email = LeadText.email(s.email());
        String comments = LeadText.sanitize(s.comments());
        String first = LeadText.name(s.firstName());
        String last = LeadText.name(s.lastName());
        String hash = LeadText.sha256(String.join("\u0000", s.vertical(), first, last, email, phone, s.zip(), s.state(),
                s.trustedFormCertUrl(), comments == null ? "" : comments));
        return new LeadRecord(UUID.randomUUID(), publisherId, key, hash, s.vertical(), first, last, email, phone, s.zip(),
                s.state(), s.trustedFormCertUrl(), comments, LeadStatus.UNSOLD, null, null, null, now, now);
    }

    static String[] personKeys(LeadRecord lead) {
        return new String[] { LeadText.sha256("email:" + lead.email()), LeadText.sha256("phone:" + lead.phone()) };
    }

    private static ComplianceCheck.LeadFacts facts(LeadRecord lead) {
        return new ComplianceCheck.LeadFacts(lead.id().toString(), lead.trustedFormCertUrl(), lead.email(), lead.phone(),
                lead.zip(), lead.state());
    }

    static String target(LeadRecord lead) {
        return "lead:" + lead.id();
    }

    private static Map<String, Object> details(LeadRecord lead, Map<String, Object> extra) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("status", lead.status().name());
        d.put("publisherId", lead.publisherId());
        d.put("vertical", lead.vertical());
        if (lead.statusReason() != null) {
            d.put("reason", lead.statusReason());
        }
        if (lead.buyerId() != null) {
            d.put("buyerId", lead.buyerId().toString());
            d.put("price", lead.price().toPlainString());
        }
        d.putAll(extra);
        return d;
    }

    OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
