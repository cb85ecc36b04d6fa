package com.nova.auction.service;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
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
import com.nova.auction.config.AuctionConfig;
import com.nova.auction.repository.LeadRepository;
import com.nova.auction.repository.LeadRepository.AuctionResult;
import com.nova.auction.repository.LeadRepository.DecisionRows;
import com.nova.auction.repository.LeadRepository.DeliveryRow;
import com.nova.auction.repository.LeadRepository.Reservation;
import com.nova.auction.repository.DeliveryRepository.SoldLead;
import com.nova.auction.repository.LeadRepository.SaleEntry;
import com.nova.auction.repository.PingRepository;
import com.nova.auction.service.LeadFaults.Step;
import com.nova.kit.audit.AuditTrail;
import com.nova.kit.events.EventContract;
import com.nova.kit.events.EventEnvelope;
import com.nova.kit.outbox.Outbox;
import com.nova.kit.outbox.OutboxRelay;
import com.nova.kit.sql.Transactions;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * A lead's decision, written in one transaction: the claim on the person (or, for a recheck, the
 * lock on the held lead), the buyers' usage, the auction with its reservation of caps and budget,
 * then the lead, its auction and every bid's outcome, revenue, the delivery and its outbox event,
 * and the audit row. All of it commits, or none of it.
 */
@ApplicationScoped
public class LeadDecider {

    /** One auction inside its transaction: the lead, its attempt, the UTC day and month it counts in, who was excluded so far. */
    private record Round(SqlConnection conn, LeadRecord lead, Attempt attempt, LocalDate day, LocalDate month,
            List<EligibleBuyer> considered, Map<UUID, Auction.Outcome> excluded) {
    }

    private final Transactions transactions;
    private final LeadRepository store;
    private final PingRepository pings;
    private final AuditTrail audit;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final AuctionConfig config;
    private final LeadFaults faults;
    private final ObjectMapper mapper;
    private final DeliveryExchange exchange;
    private final io.micrometer.core.instrument.MeterRegistry metrics;

    public LeadDecider(Transactions transactions, LeadRepository store, PingRepository pings, AuditTrail audit, Outbox outbox,
            OutboxRelay relay, AuctionConfig config, LeadFaults faults, ObjectMapper mapper, DeliveryExchange exchange,
            io.micrometer.core.instrument.MeterRegistry metrics) {
        this.exchange = exchange;
        this.metrics = metrics;
        this.transactions = transactions;
        this.store = store;
        this.pings = pings;
        this.audit = audit;
        this.outbox = outbox;
        this.relay = relay;
        this.config = config;
        this.faults = faults;
        this.mapper = mapper;
    }

    /**
     * A lead that does not go to auction (now): rejected, or held for a later check. A held lead
     * keeps the person claimed (it may still sell); a rejected one does not. Yields the lead as it
     * stands (a recheck that another instance beat yields the other's decision).
     */
    Uni<LeadRecord> recordWithoutAuction(LeadRecord lead, Attempt attempt) {
        OffsetDateTime nextCheck = lead.status() == LeadStatus.HELD
                ? lead.updatedAt().plus(config.compliance().holdRetryInterval()) : null;
        return transactions.inTransaction(conn -> {
            Uni<Boolean> written;
            if (attempt.isFirstSubmission()) {
                Uni<Void> claim = lead.status() == LeadStatus.HELD ? claim(conn, lead) : Uni.createFrom().voidItem();
                written = claim.chain(() -> store.insertLead(conn, lead, nextCheck)).replaceWith(true);
            } else {
                written = store.updateStatus(conn, lead, LeadStatus.HELD, nextCheck)
                        .call(changed -> changed ? store.releasePerson(conn, lead.id()) : Uni.createFrom().voidItem());
            }
            return written.chain(changed -> !changed ? store.find(conn, lead.id())
                    : auditDecision(conn, lead, attempt, Map.of()).replaceWith(lead));
        });
    }

    /**
     * What a post of a ping is held to: at least the pinged bid, the ping's winner first, and the
     * publisher paid at least the price the ping answered.
     */
    public record PingTerms(UUID pingId, BigDecimal bid, UUID winner, BigDecimal price, OffsetDateTime expiresAt,
            Map<UUID, BigDecimal> liveBids, Auction.SaleMode mode) {
    }

    /** Runs the auction among {@code eligible} and writes what it decided; after a sale the outbox relay is woken. */
    Uni<LeadRecord> auction(LeadRecord lead, List<EligibleBuyer> eligible, Attempt attempt) {
        return auction(lead, eligible, attempt, null);
    }

    /** The same, for a post of a ping ({@code terms} null: a direct post). */
    Uni<LeadRecord> auction(LeadRecord lead, List<EligibleBuyer> eligible, Attempt attempt, PingTerms terms) {
        return transactions.inTransaction(conn -> decide(conn, lead, eligible, attempt, terms))
                .invoke(decided -> {
                    if (decided.status() == LeadStatus.SOLD) {
                        relay.poke();
                    }
                });
    }

    private Uni<LeadRecord> decide(SqlConnection conn, LeadRecord lead, List<EligibleBuyer> eligible, Attempt attempt,
            PingTerms terms) {
        LocalDate day = attempt.now().toLocalDate();
        Map<UUID, Auction.Outcome> excludedSoFar = new HashMap<>();
        List<EligibleBuyer> considered = Auctioneer.considered(eligible, lead.vertical(), lead.state());
        // A post of a ping sells at the ping's bids: a live bidder bids what it answered then, or not at all.
        Round round = new Round(conn, lead, attempt, day, day.withDayOfMonth(1),
                terms == null ? considered : Auctioneer.withLiveBids(considered, terms.liveBids(), excludedSoFar), excludedSoFar);
        // A post of a ping takes it first, in this transaction: if the post fails, the ping stays unused.
        Uni<Void> ping = terms == null ? Uni.createFrom().voidItem()
                : pings.use(conn, terms.pingId(), lead.id(), attempt.now()).invoke(refused -> {
                    if (refused != null) {
                        throw refused.equals("used") ? LeadRefusedException.ping(LeadRefusedException.Reason.PING_USED, null)
                                : LeadRefusedException.ping(LeadRefusedException.Reason.PING_EXPIRED, terms.expiresAt().toString());
                    }
                }).replaceWithVoid();
        Uni<Boolean> open = ping.chain(() -> attempt.isFirstSubmission() ? claim(conn, lead).replaceWith(true)
                : store.lockHeld(conn, lead.id()).map(held -> held != null));
        return open.chain(isOpen -> {
            if (!isOpen) {
                // Another instance decided this held lead meanwhile.
                return store.find(conn, lead.id());
            }
            faults.after(Step.CLAIMED);
            UUID[] ids = round.considered().stream().map(EligibleBuyer::id).toArray(UUID[]::new);
            return store.usage(conn, ids, round.day(), round.month()).chain(usage -> {
                List<EligibleBuyer> bidders = new ArrayList<>();
                for (EligibleBuyer b : round.considered()) {
                    if (round.excluded().containsKey(b.id())) {
                        continue;
                    }
                    Auction.Outcome why = Auctioneer.exclusion(b, lead.zip(), usage.getOrDefault(b.id(), Auction.Usage.NONE));
                    if (why != null) {
                        round.excluded().put(b.id(), why);
                    } else {
                        bidders.add(b);
                    }
                }
                List<EligibleBuyer> ranked = terms == null ? Auctioneer.rank(bidders)
                        : Auctioneer.forPing(Auctioneer.rank(bidders), terms.bid(), terms.winner(), round.excluded());
                // A post of an exclusive ping sells exclusive, as pinged; a direct post or a shared ping may share.
                boolean mayShare = terms == null || terms.mode() == Auction.SaleMode.SHARED;
                List<EligibleBuyer> sharedRanked = mayShare ? Auctioneer.sharedCandidates(round.considered(), lead.zip(), usage)
                        : List.of();
                int shareCount = config.sharing().maxBuyersFor(lead.vertical());
                List<EligibleBuyer> sharers = sharedRanked.subList(0, Math.min(shareCount, sharedRanked.size()));
                if (sharedSaleStands(round, sharers, ranked, terms)) {
                    // Under a savepoint: if the sharers with room are too few, rolling back to it undoes their
                    // reservations and releases the locks their rows took, before the exclusive sale tries others.
                    return store.savepoint(conn, "sharing").chain(() -> reserveSharers(round, sharedRanked, shareCount, 0, new ArrayList<>()))
                            .chain(reserved -> {
                                if (sharedSaleStands(round, reserved, ranked, terms)) {
                                    return store.releaseSavepoint(conn, "sharing").chain(() -> writeShared(round, reserved));
                                }
                                // Fewer sharers had room than it takes (another auction filled them meanwhile): exclusive after all.
                                return store.rollbackToSavepoint(conn, "sharing").chain(() -> exclusive(round, ranked, terms));
                            });
                }
                return exclusive(round, ranked, terms);
            });
        });
    }

    private Uni<LeadRecord> exclusive(Round round, List<EligibleBuyer> ranked, PingTerms terms) {
        List<EligibleBuyer> open = ranked.stream().filter(b -> !round.excluded().containsKey(b.id())).toList();
        List<Auction.Offer> offers = new ArrayList<>();
        return reserveFirst(round, open, 0, lastPostAccept(open), offers).chain(winner -> write(round, open, winner, terms, offers));
    }

    /**
     * Whether these sharers make a shared sale: two at least, paying together more than the best
     * exclusive bid still open, and (for a post of a shared ping) the publisher paid at least the
     * pinged price.
     */
    private boolean sharedSaleStands(Round round, List<EligibleBuyer> sharers, List<EligibleBuyer> ranked, PingTerms terms) {
        EligibleBuyer bestExclusive = ranked.stream().filter(b -> !round.excluded().containsKey(b.id())).findFirst().orElse(null);
        if (Auctioneer.mode(bestExclusive == null ? null : bestExclusive.bidAmount(), sharers) != Auction.SaleMode.SHARED) {
            return false;
        }
        return terms == null || Auctioneer.sharedPayouts(sharers, config.revenue().publisherShare()).compareTo(terms.price()) >= 0;
    }

    /** Reserves, best shared bid first, until {@code count} sharers have room or the list ends; a sharer another auction filled is excluded. */
    private Uni<List<EligibleBuyer>> reserveSharers(Round round, List<EligibleBuyer> ranked, int count, int i, List<EligibleBuyer> reserved) {
        if (reserved.size() >= count || i >= ranked.size()) {
            return Uni.createFrom().item(reserved);
        }
        EligibleBuyer sharer = Auctioneer.asSharer(ranked.get(i));
        return tryReserve(round, sharer).chain(ok -> {
            if (ok) {
                reserved.add(ranked.get(i));
            }
            return reserveSharers(round, ranked, count, i + 1, reserved);
        });
    }

    /** Writes a shared sale: the lead at the sum of its sales, and each sharer's sale, delivery and event. */
    private Uni<LeadRecord> writeShared(Round round, List<EligibleBuyer> sharers) {
        faults.after(Step.RESERVED);
        OffsetDateTime now = round.attempt().now();
        BigDecimal total = Auctioneer.sharedTotal(sharers);
        LeadRecord decided = round.lead().sharedSale(round.lead().statusReason(), total, now);
        List<Auction.Bid> bids = Auctioneer.sharedOutcomes(round.considered(), round.excluded(), sharers);
        List<SaleEntry> sales = new ArrayList<>();
        for (EligibleBuyer b : sharers) {
            BigDecimal price = Auctioneer.sharedBid(b);
            BigDecimal payout = Auctioneer.payout(price, config.revenue().publisherShare());
            sales.add(new SaleEntry(b.id(), price, payout, price.subtract(payout), b.capsBackOnReturn()));
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("rule", Auction.Rule.SHARED.name());
        extra.put("considered", round.considered().size());
        extra.put("sharers", sharers.stream().map(b -> b.id() + "=" + Auctioneer.sharedBid(b).toPlainString()).toList());
        return writeDecision(round, decided, new AuctionResult(decided.id(), now, null, total, Auction.Rule.SHARED,
                Auction.SaleMode.SHARED, bids, List.of()), sales, null, extra);
    }

    /**
     * The best bidder who still has room and takes the lead: an auto buyer takes what it wins; a
     * post-accept buyer is offered it (the waterfall) with its cap and budget reserved, and a
     * rejection gives them back (the savepoint rolled back) before the next bidder is tried. A
     * bidder another auction just filled is excluded. {@code lastOffer} is where the last post-accept bidder
     * stands ({@link #lastPostAccept}); {@code offers} collects every offer made.
     */
    private Uni<EligibleBuyer> reserveFirst(Round round, List<EligibleBuyer> ranked, int i, int lastOffer, List<Auction.Offer> offers) {
        if (i >= ranked.size()) {
            return Uni.createFrom().nullItem();
        }
        EligibleBuyer b = ranked.get(i);
        SqlConnection conn = round.conn();
        String savepoint = "offer_" + i;
        if (!b.postAccept()) {
            if (i >= lastOffer) {
                return tryReserve(round, b).chain(reserved -> reserved ? Uni.createFrom().item(b) : reserveFirst(round, ranked, i + 1, lastOffer, offers));
            }
            // Offers may follow, and this transaction waits for them: a reservation that fails must not keep the
            // lock its row took (the conditional upsert locks the row even when it changes nothing), so it is rolled back.
            return store.savepoint(conn, savepoint).chain(() -> tryReserve(round, b)).chain(reserved -> reserved
                    ? store.releaseSavepoint(conn, savepoint).replaceWith(b)
                    : store.rollbackToSavepoint(conn, savepoint).chain(() -> reserveFirst(round, ranked, i + 1, lastOffer, offers)));
        }
        if (offers.size() >= config.waterfall().maxOffers()) {
            round.excluded().put(b.id(), Auction.Outcome.NOT_OFFERED);
            return reserveFirst(round, ranked, i + 1, lastOffer, offers);
        }
        return store.savepoint(conn, savepoint).chain(() -> tryReserve(round, b)).chain(reserved -> {
            if (!reserved) {
                return store.rollbackToSavepoint(conn, savepoint).chain(() -> reserveFirst(round, ranked, i + 1, lastOffer, offers));
            }
            BigDecimal price = Auctioneer.money(b.bidAmount());
            return exchange.offer(offerKey(round.lead(), b), round.lead().id(), b.id(), offered(round.lead(), price, round.attempt().now()),
                    config.waterfall().offerTimeout()).chain(offer -> {
                        offers.add(offer);
                        metrics.counter("auction_offers_total", "accepted", Boolean.toString(offer.accepted())).increment();
                        if (offer.accepted()) {
                            return store.releaseSavepoint(conn, savepoint).replaceWith(b);
                        }
                        round.excluded().put(b.id(), Auction.Outcome.REJECTED_OFFER);
                        return store.rollbackToSavepoint(conn, savepoint).chain(() -> reserveFirst(round, ranked, i + 1, lastOffer, offers));
                    });
        });
    }

    /** Where the last post-accept bidder stands in the ranking (-1: none); past it no offer follows. */
    private static int lastPostAccept(List<EligibleBuyer> ranked) {
        for (int i = ranked.size() - 1; i >= 0; i--) {
            if (ranked.get(i).postAccept()) {
                return i;
            }
        }
        return -1;
    }

    /** The offer's Idempotency-Key: the same for a retry of the publisher's post (its key), another for each buyer. */
    private static String offerKey(LeadRecord lead, EligibleBuyer buyer) {
        return "offer-" + com.nova.kit.text.Digests.sha256Hex(String.join("\u0000", lead.publisherId(), lead.idempotencyKey(),
                buyer.id().toString()));
    }

    /** The lead as an offered buyer receives it, at its own price. */
    private static SoldLead offered(LeadRecord l, BigDecimal price, OffsetDateTime now) {
        return new SoldLead(l.vertical(), l.firstName(), l.lastName(), l.email(), l.phone(), l.zip(), l.state(), l.trustedFormCertUrl(),
                l.comments(), price, now);
    }

    /** Reserves one lead at the buyer's bid; when it has no room now, records why in the round's exclusions. */
    private Uni<Boolean> tryReserve(Round round, EligibleBuyer b) {
        Reservation reservation = new Reservation(b.id(), round.day(), round.month(), Auctioneer.money(b.bidAmount()),
                b.dailyCap(), b.monthlyCap(), b.dailyBudget());
        return store.reserve(round.conn(), reservation).chain(reserved -> {
            if (reserved) {
                return Uni.createFrom().item(true);
            }
            return store.usage(round.conn(), new UUID[] { b.id() }, round.day(), round.month()).map(now -> {
                Auction.Outcome why = Auctioneer.exclusion(b, round.lead().zip(), now.getOrDefault(b.id(), Auction.Usage.NONE));
                round.excluded().put(b.id(), why == null ? Auction.Outcome.OVER_DAILY_CAP : why);
                return false;
            });
        });
    }

    /** Writes the auction's result: {@code winner} is null when no bidder had room (or accepted). */
    private Uni<LeadRecord> write(Round round, List<EligibleBuyer> ranked, EligibleBuyer winner, PingTerms terms,
            List<Auction.Offer> offers) {
        faults.after(Step.RESERVED);
        SqlConnection conn = round.conn();
        LeadRecord lead = round.lead();
        OffsetDateTime now = round.attempt().now();
        Map<UUID, Auction.Outcome> excluded = round.excluded();
        boolean sold = winner != null;
        BigDecimal price = sold ? Auctioneer.money(winner.bidAmount()) : null;
        String reason = sold ? lead.statusReason() : terms != null ? "ping-price-not-covered"
                : !offers.isEmpty() ? "no-buyer-accepted" : "no-eligible-buyer";
        LeadRecord decided = lead.with(sold ? LeadStatus.SOLD : LeadStatus.UNSOLD, reason, sold ? winner.id() : null, price, now);
        EligibleBuyer runnerUp = sold ? ranked.stream()
                .filter(b -> !b.id().equals(winner.id()) && !excluded.containsKey(b.id())).findFirst().orElse(null) : null;
        boolean toPingWinner = sold && terms != null && winner.id().equals(terms.winner());
        Auction.Rule rule = !sold ? Auction.Rule.NO_ELIGIBLE_BUYER
                : winner.postAccept() ? Auction.Rule.ACCEPTED_OFFER
                : toPingWinner ? Auction.Rule.PING_WINNER : Auctioneer.decidingRule(winner, runnerUp);
        if (toPingWinner) {
            ranked.stream().filter(b -> !b.id().equals(winner.id()) && !excluded.containsKey(b.id()))
                    .forEach(b -> excluded.put(b.id(), Auction.Outcome.LOST_TO_PING_WINNER));
        }
        List<Auction.Bid> bids = Auctioneer.outcomes(round.considered(), excluded, winner);

        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("rule", rule.name());
        extra.put("considered", round.considered().size());
        if (!offers.isEmpty()) {
            extra.put("offers", offers.stream().map(o -> o.buyerId() + "=" + (o.accepted() ? "accepted" : o.reason())).toList());
        }
        List<SaleEntry> sales = new ArrayList<>();
        if (sold) {
            BigDecimal payout = Auctioneer.payout(price, config.revenue().publisherShare());
            if (terms != null && payout.compareTo(terms.price()) < 0) {
                // The ping promised at least its price (the share may have changed since): never less, never above the sale.
                payout = terms.price().min(price);
            }
            sales.add(new SaleEntry(winner.id(), price, payout, price.subtract(payout), winner.capsBackOnReturn()));
        }
        // A post-accept buyer's accepted offer was its delivery: the buyer has the lead and said so.
        Auction.Offer accepted = sold && winner.postAccept() ? offers.get(offers.size() - 1) : null;
        return writeDecision(round, decided, new AuctionResult(decided.id(), now, decided.buyerId(), price, rule,
                sold ? Auction.SaleMode.EXCLUSIVE : null, bids, offers), sales, accepted, extra);
    }

    /**
     * Writes the decision in one statement: the lead, its auction, each sale with its revenue,
     * delivery and delivery event (none for an offer the buyer accepted: that was its delivery), and
     * the audit row. The fault seam still passes every step, after the statement and before commit.
     */
    private Uni<LeadRecord> writeDecision(Round round, LeadRecord decided, AuctionResult auction, List<SaleEntry> sales,
            Auction.Offer accepted, Map<String, Object> extra) {
        OffsetDateTime now = round.attempt().now();
        boolean shared = decided.saleMode() == Auction.SaleMode.SHARED;
        List<DeliveryRow> deliveries = new ArrayList<>();
        List<com.nova.kit.outbox.Outbox.Row> events = new ArrayList<>();
        for (SaleEntry sale : sales) {
            deliveries.add(new DeliveryRow(sale.buyerId(), accepted != null, accepted == null ? null : accepted.status()));
            if (accepted == null) {
                ObjectNode data = mapper.createObjectNode().put("leadId", decided.id().toString()).put("buyerId", sale.buyerId().toString());
                // One event per sale: a shared lead's sales are told apart by their buyer.
                String eventKey = shared ? decided.id() + ":" + sale.buyerId() : decided.id().toString();
                events.add(outbox.row(EventContract.Streams.AUCTION_DELIVERIES, EventEnvelope.create(EventContract.Types.LEAD_SOLD,
                        LeadIntake.SYSTEM_ACTOR, eventKey, now.toInstant(), decided.id().toString(), data)));
            }
        }
        com.nova.kit.audit.AuditTrail.Row auditRow = audit.row(round.attempt().actor(), "lead." + decided.status().name().toLowerCase(),
                "lead:" + decided.id(), details(decided, extra));
        return store.writeDecision(round.conn(), new DecisionRows(decided, round.attempt().isFirstSubmission(), auction, sales,
                deliveries, events, auditRow))
                .invoke(() -> {
                    for (Step step : List.of(Step.LEAD_WRITTEN, Step.AUCTION_WRITTEN, Step.REVENUE_WRITTEN, Step.DELIVERY_WRITTEN,
                            Step.OUTBOX_WRITTEN, Step.AUDITED)) {
                        faults.after(step);
                    }
                })
                .replaceWith(decided);
    }

    /** Claims the person for the duplicate window from the lead's arrival; fails with 23P01 when another lead holds it. */
    private Uni<Void> claim(SqlConnection conn, LeadRecord lead) {
        OffsetDateTime from = lead.createdAt();
        return store.claimPerson(conn, lead.id(), LeadNormalizer.personKeys(lead), from, from.plus(config.duplicateWindow()));
    }

    private Uni<Void> auditDecision(SqlConnection conn, LeadRecord lead, Attempt attempt, Map<String, Object> extra) {
        return audit.record(conn, attempt.actor(), "lead." + lead.status().name().toLowerCase(), "lead:" + lead.id(),
                details(lead, extra));
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
}
