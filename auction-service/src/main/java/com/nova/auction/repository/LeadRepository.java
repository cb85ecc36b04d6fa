package com.nova.auction.repository;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.auction.Auction;
import com.nova.auction.LeadRecord.LeadStatus;
import com.nova.auction.LeadRecord;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of leads, auctions, caps and revenue; every statement bound, every money value NUMERIC. */
@ApplicationScoped
public class LeadRepository {

    /** One more lead at {@code price} against a buyer's caps and budget ({@code null}: no such limit), on {@code day} and in {@code month}. */
    public record Reservation(UUID buyerId, LocalDate day, LocalDate month, BigDecimal price, Integer dailyCap,
            Integer monthlyCap, BigDecimal dailyBudget) {
    }

    /** An auction as decided: who won at what price by which rule, and every considered buyer's bid. */
    public record AuctionResult(UUID leadId, OffsetDateTime decidedAt, UUID winnerId, BigDecimal price, Auction.Rule rule,
            Auction.SaleMode mode, List<Auction.Bid> bids, List<Auction.Offer> offers) {
    }

    static final String LEAD_COLUMNS = """
            id, publisher_id, idempotency_key, request_hash, vertical, first_name, last_name, email, phone, zip, state,
            trusted_form_cert_url, comments, status, status_reason, buyer_id, price, sale_mode, created_at, updated_at""";

    public Uni<LeadRecord> findByIdempotencyKey(SqlClient db, String publisherId, String key) {
        return db.preparedQuery("select " + LEAD_COLUMNS + " from lead where publisher_id = $1 and idempotency_key = $2")
                .execute(Tuple.of(publisherId, key))
                .map(rows -> rows.size() == 0 ? null : lead(rows.iterator().next()));
    }

    /** What a submission is checked against before compliance: its own earlier attempt, and whether the person is taken. */
    public record FirstLook(LeadRecord earlier, boolean personClaimed) {
    }

    /**
     * One round trip for both first looks: the lead the publisher sent under this Idempotency-Key
     * (null when none) and whether a lead holds any of {@code personKeys} during [from, to). A first
     * look only: the claim in the decision's transaction is the guarantee.
     */
    public Uni<FirstLook> firstLook(SqlClient db, String publisherId, String key, String[] personKeys, OffsetDateTime from,
            OffsetDateTime to) {
        return db.preparedQuery("select " + LEAD_COLUMNS + """
                , exists (select 1 from lead_person_claim where person_key = any($3) and active_during && tstzrange($4, $5)) as person_claimed
                from (values (1)) one left join lead on publisher_id = $1 and idempotency_key = $2""")
                .execute(Tuple.of(publisherId, key, personKeys, from, to))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new FirstLook(r.getUUID("id") == null ? null : lead(r), r.getBoolean("person_claimed"));
                });
    }

    public Uni<LeadRecord> find(SqlClient db, UUID id) {
        return db.preparedQuery("select " + LEAD_COLUMNS + " from lead where id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : lead(rows.iterator().next()));
    }

    public Uni<LeadRecord> lockHeld(SqlConnection conn, UUID id) {
        return conn.preparedQuery("select " + LEAD_COLUMNS + " from lead where id = $1 and status = 'HELD' for update")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : lead(rows.iterator().next()));
    }

    /**
     * Claims the person for [from, to); fails with SQLSTATE 23P01 when another lead holds an
     * overlapping claim. Two submissions of one person inserting into the exclusion constraint at
     * the same instant can each wait for the other (a deadlock, or both out of time): the keys'
     * transaction-scoped advisory locks, taken in one order, make the second wait for the first
     * to finish, and then the constraint refuses it. The constraint stays the guarantee.
     */
    public Uni<Void> claimPerson(SqlConnection conn, UUID leadId, String[] personKeys, OffsetDateTime from, OffsetDateTime to) {
        // One round trip: the uncorrelated scalar subquery (an InitPlan, run once, first) takes the locks before any row is inserted.
        return conn.preparedQuery("""
                insert into lead_person_claim (lead_id, person_key, active_during)
                select $1, k, tstzrange($3, $4) from unnest($2::text[]) k
                where (select count(pg_advisory_xact_lock(hashtextextended(x, 0)))
                       from (select distinct x from unnest($2::text[]) x order by x) ordered) > 0""")
                .execute(Tuple.of(leadId, personKeys, from, to))
                .replaceWithVoid();
    }

    public Uni<Void> releasePerson(SqlConnection conn, UUID leadId) {
        return conn.preparedQuery("delete from lead_person_claim where lead_id = $1").execute(Tuple.of(leadId)).replaceWithVoid();
    }

    public Uni<Void> insertLead(SqlConnection conn, LeadRecord l, OffsetDateTime nextCheckAt) {
        return conn.preparedQuery("insert into lead (" + LEAD_COLUMNS + ", consent, next_check_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, true, $21)")
                .execute(Tuple.from(new Object[] { l.id(), l.publisherId(), l.idempotencyKey(), l.requestHash(),
                        l.vertical(), l.firstName(), l.lastName(), l.email(), l.phone(), l.zip(), l.state(),
                        l.trustedFormCertUrl(), l.comments(), l.status().name(), l.statusReason(), l.buyerId(), l.price(),
                        mode(l), l.createdAt(), l.updatedAt(), nextCheckAt }))
                .replaceWithVoid();
    }

    /** Moves a lead to its new state; the version guards against a concurrent change. */
    public Uni<Boolean> updateStatus(SqlConnection conn, LeadRecord l, LeadStatus from, OffsetDateTime nextCheckAt) {
        return conn.preparedQuery("""
                update lead set status = $2, status_reason = $3, buyer_id = $4, price = $5, updated_at = $6,
                       next_check_at = $7, sale_mode = $9, version = version + 1
                where id = $1 and status = $8""")
                .execute(Tuple.from(new Object[] { l.id(), l.status().name(), l.statusReason(), l.buyerId(), l.price(),
                        l.updatedAt(), nextCheckAt, from.name(), mode(l) }))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> deferHeld(SqlClient db, UUID id, OffsetDateTime nextCheckAt, String reason) {
        return db.preparedQuery("update lead set next_check_at = $2, status_reason = $3, held_attempts = held_attempts + 1, version = version + 1 where id = $1 and status = 'HELD'")
                .execute(Tuple.of(id, nextCheckAt, reason)).replaceWithVoid();
    }

    /** Held leads due for another check, pushed back by {@code lease} so another instance does not take them too. */
    public Uni<List<UUID>> takeDueHeld(SqlConnection conn, OffsetDateTime now, OffsetDateTime leaseUntil, int limit) {
        return conn.preparedQuery("""
                update lead set next_check_at = $2 where id in (
                    select id from lead where status = 'HELD' and next_check_at <= $1
                    order by next_check_at limit $3 for update skip locked)
                returning id""")
                .execute(Tuple.of(now, leaseUntil, limit))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getUUID(0)));
                    return ids;
                });
    }

    /** Each buyer's consumption today and this month, before this auction (rows of another day count as none). */
    public Uni<Map<UUID, Auction.Usage>> usage(SqlClient db, UUID[] buyers, LocalDate day, LocalDate month) {
        return db.preparedQuery("""
                select buyer_id,
                       case when day = $2 then day_leads else 0 end,
                       case when day = $2 then day_spend else 0 end,
                       case when month = $3 then month_leads else 0 end
                from buyer_usage where buyer_id = any($1)""")
                .execute(Tuple.of(buyers, day, month))
                .map(rows -> {
                    Map<UUID, Auction.Usage> usage = new HashMap<>();
                    for (Row r : rows) {
                        usage.put(r.getUUID(0), new Auction.Usage(r.getInteger(1), r.getBigDecimal(2), r.getInteger(3)));
                    }
                    return usage;
                });
    }

    /**
     * Counts one more lead and {@code price} against the buyer's caps and budget, in one conditional
     * statement: false (nothing changed) when that would exceed any of them. The row lock it takes
     * serializes concurrent auctions of one buyer until their transactions end.
     */
    public Uni<Boolean> reserve(SqlConnection conn, Reservation r) {
        return conn.preparedQuery("""
                insert into buyer_usage as u (buyer_id, day, day_leads, day_spend, month, month_leads)
                values ($1, $2, 1, $4, $3, 1)
                on conflict (buyer_id) do update set
                    day_leads = (case when u.day = $2 then u.day_leads else 0 end) + 1,
                    day_spend = (case when u.day = $2 then u.day_spend else 0 end) + $4,
                    month_leads = (case when u.month = $3 then u.month_leads else 0 end) + 1,
                    day = $2, month = $3
                where ($5::int is null or (case when u.day = $2 then u.day_leads else 0 end) + 1 <= $5)
                  and ($6::int is null or (case when u.month = $3 then u.month_leads else 0 end) + 1 <= $6)
                  and ($7::numeric is null or (case when u.day = $2 then u.day_spend else 0 end) + $4 <= $7)
                returning buyer_id""")
                .execute(Tuple.from(new Object[] { r.buyerId(), r.day(), r.month(), r.price(), r.dailyCap(), r.monthlyCap(),
                        r.dailyBudget() }))
                .map(rows -> rows.size() == 1);
    }

    /** A delivery written with its sale: PENDING (delivered later) or DELIVERED (the buyer accepted it when offered). */
    public record DeliveryRow(UUID buyerId, boolean delivered, Integer responseCode) {
    }

    /**
     * Everything a lead's decision writes after the reservation: the lead (inserted, or moved on
     * from HELD for a recheck), its auction with every bid and offer, each sale's revenue and
     * delivery, the events and the audit row.
     */
    public record DecisionRows(LeadRecord lead, boolean firstSubmission, AuctionResult auction, List<SaleEntry> sales,
            List<DeliveryRow> deliveries, List<com.nova.kit.outbox.Outbox.Row> events, com.nova.kit.audit.AuditTrail.Row audit) {
    }

    private static final String DECISION_TAIL = """
            auction_row as (insert into auction (lead_id, decided_at, winner_id, price, deciding_rule, considered, sale_mode, offers, bids)
                values ($1, $4, $5, $6, $7, $8, $9, $10, $11)),
            sales as (insert into revenue_entry (lead_id, kind, buyer_id, publisher_id, vertical, price, payout, margin, booked_at, caps_back_on_return)
                select $1, 'SALE', s.b, $2, $3, s.p::numeric, s.po::numeric, s.m::numeric, $4, s.c
                from unnest($12::uuid[], $13::text[], $14::text[], $15::text[], $16::boolean[]) s(b, p, po, m, c)),
            deliveries as (insert into delivery (lead_id, buyer_id, status, attempts, response_code, delivered_at, created_at)
                select $1, d.b, case when d.done then 'DELIVERED' else 'PENDING' end, case when d.done then 1 else 0 end, d.r,
                       case when d.done then $4::timestamptz end, $4
                from unnest($17::uuid[], $18::boolean[], $19::int[]) d(b, done, r)),
            events as (insert into outbox (stream, event_id, event_type, envelope)
                select e.s, e.i, e.t, e.j from unnest($20::text[], $21::text[], $22::text[], $23::text[]) e(s, i, t, j)),
            audit as (insert into audit_log (actor, action, target, request_id, details) values ($24, $25, $26, $27, cast($28 as jsonb)))
            select 1""";

    /** The first submission: the lead is inserted. */
    private static final String DECISION_INSERTING_LEAD = """
            with lead_row as (insert into lead (id, publisher_id, vertical, idempotency_key, request_hash, first_name, last_name, email,
                    phone, zip, state, trusted_form_cert_url, comments, status, status_reason, buyer_id, price, sale_mode, created_at,
                    updated_at, consent, next_check_at)
                values ($1, $2, $3, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40, $41, $42, $43, $44, $45, true, null)),
            """ + DECISION_TAIL;

    /** A recheck of a held lead (locked by this transaction): the lead moves on from HELD. */
    private static final String DECISION_UPDATING_LEAD = """
            with lead_row as (update lead set status = $29, status_reason = $30, buyer_id = $31, price = $32, updated_at = $33,
                    sale_mode = $34, next_check_at = null, version = version + 1
                where id = $1 and status = 'HELD'),
            """ + DECISION_TAIL;

    /**
     * Writes a decision in one statement (one round trip, one plan): data-modifying CTEs, each
     * inserting its rows; foreign keys are checked at the statement's end, when the lead exists.
     * Amounts travel as decimal strings and are cast to NUMERIC by the database, never through a float.
     */
    public Uni<Void> writeDecision(SqlConnection conn, DecisionRows d) {
        LeadRecord l = d.lead();
        AuctionResult a = d.auction();
        List<Object> params = new ArrayList<>(List.of(l.id(), l.publisherId(), l.vertical(), a.decidedAt()));
        params.add(a.winnerId());
        params.add(a.price());
        params.add(a.rule().name());
        params.add(a.bids().size());
        params.add(a.mode() == null ? null : a.mode().name());
        params.add(offersJson(a.offers()));
        params.add(bidsJson(a.bids()));
        params.add(d.sales().stream().map(SaleEntry::buyerId).toArray(UUID[]::new));
        params.add(d.sales().stream().map(x -> x.price().toPlainString()).toArray(String[]::new));
        params.add(d.sales().stream().map(x -> x.payout().toPlainString()).toArray(String[]::new));
        params.add(d.sales().stream().map(x -> x.margin().toPlainString()).toArray(String[]::new));
        params.add(d.sales().stream().map(SaleEntry::capsBackOnReturn).toArray(Boolean[]::new));
        params.add(d.deliveries().stream().map(DeliveryRow::buyerId).toArray(UUID[]::new));
        params.add(d.deliveries().stream().map(DeliveryRow::delivered).toArray(Boolean[]::new));
        params.add(d.deliveries().stream().map(DeliveryRow::responseCode).toArray(Integer[]::new));
        params.add(d.events().stream().map(com.nova.kit.outbox.Outbox.Row::stream).toArray(String[]::new));
        params.add(d.events().stream().map(com.nova.kit.outbox.Outbox.Row::eventId).toArray(String[]::new));
        params.add(d.events().stream().map(com.nova.kit.outbox.Outbox.Row::type).toArray(String[]::new));
        params.add(d.events().stream().map(com.nova.kit.outbox.Outbox.Row::envelope).toArray(String[]::new));
        params.add(d.audit().actor());
        params.add(d.audit().action());
        params.add(d.audit().target());
        params.add(d.audit().requestId());
        params.add(d.audit().details());
        String mode = mode(l);
        if (d.firstSubmission()) {
            params.addAll(java.util.Arrays.asList(l.idempotencyKey(), l.requestHash(), l.firstName(), l.lastName(), l.email(), l.phone(),
                    l.zip(), l.state(), l.trustedFormCertUrl(), l.comments(), l.status().name(), l.statusReason(), l.buyerId(), l.price(),
                    mode, l.createdAt(), l.updatedAt()));
        } else {
            params.addAll(java.util.Arrays.asList(l.status().name(), l.statusReason(), l.buyerId(), l.price(), l.updatedAt(), mode));
        }
        return conn.preparedQuery(d.firstSubmission() ? DECISION_INSERTING_LEAD : DECISION_UPDATING_LEAD)
                .execute(Tuple.from(params))
                .replaceWithVoid();
    }

    private static io.vertx.core.json.JsonArray bidsJson(List<Auction.Bid> bids) {
        io.vertx.core.json.JsonArray array = new io.vertx.core.json.JsonArray();
        for (Auction.Bid b : bids) {
            array.add(new io.vertx.core.json.JsonObject().put("buyerId", b.buyerId().toString()).put("bid", b.amount().toPlainString())
                    .put("sharedBid", b.sharedAmount() == null ? null : b.sharedAmount().toPlainString()).put("outcome", b.outcome().name()));
        }
        return array;
    }

    private static io.vertx.core.json.JsonArray offersJson(List<Auction.Offer> offers) {
        io.vertx.core.json.JsonArray array = new io.vertx.core.json.JsonArray();
        for (Auction.Offer o : offers) {
            array.add(new io.vertx.core.json.JsonObject().put("buyerId", o.buyerId().toString()).put("price", o.price().toPlainString())
                    .put("accepted", o.accepted()).put("reason", o.reason()).put("status", o.status()).put("latencyMs", o.latencyMs()));
        }
        return array;
    }

    /** One sale of a lead to one buyer at {@code price} (an exclusive lead has one, a shared lead one per buyer). */
    public record SaleEntry(UUID buyerId, BigDecimal price, BigDecimal payout, BigDecimal margin, boolean capsBackOnReturn) {
    }

    /**
     * Gives the buyer back what the lead's sale counted against its caps and budget, when the sale
     * says so: the lead and its price on the sale's UTC day (if the counter is still that day's),
     * the lead in its month (if still that month). A counter already moved on to another day or
     * month holds nothing of this sale and stays. Runs with the return, in its transaction, once.
     */
    public Uni<Void> giveBackUsage(SqlConnection conn, UUID leadId, UUID buyerId) {
        return conn.preparedQuery("""
                update buyer_usage u set
                    day_leads = case when u.day = s.sold_on then greatest(u.day_leads - 1, 0) else u.day_leads end,
                    day_spend = case when u.day = s.sold_on then greatest(u.day_spend - s.price, 0) else u.day_spend end,
                    month_leads = case when u.month = date_trunc('month', s.sold_on)::date then greatest(u.month_leads - 1, 0)
                                       else u.month_leads end
                from (select buyer_id, price, (booked_at at time zone 'UTC')::date as sold_on from revenue_entry
                      where lead_id = $1 and buyer_id = $2 and kind = 'SALE' and caps_back_on_return) s
                where u.buyer_id = s.buyer_id""")
                .execute(Tuple.of(leadId, buyerId))
                .replaceWithVoid();
    }

    /**
     * Books the exact negation of this buyer's sale of the lead (a shared lead's other sales stay);
     * fails with 23505 on a second return. False when the buyer has no sale of it.
     */
    public Uni<Boolean> insertReturn(SqlConnection conn, UUID leadId, UUID buyerId, OffsetDateTime at) {
        return conn.preparedQuery("""
                insert into revenue_entry (lead_id, kind, buyer_id, publisher_id, vertical, price, payout, margin, booked_at)
                select lead_id, 'RETURN', buyer_id, publisher_id, vertical, -price, -payout, -margin, $3
                from revenue_entry where lead_id = $1 and buyer_id = $2 and kind = 'SALE'""")
                .execute(Tuple.of(leadId, buyerId, at))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The lead is RETURNED once every one of its sales is (a shared lead with a sale still standing stays SOLD). */
    public Uni<Void> markReturnedWhenAllAre(SqlConnection conn, UUID leadId, OffsetDateTime at) {
        return conn.preparedQuery("""
                update lead set status = 'RETURNED', updated_at = $2, version = version + 1
                where id = $1 and status = 'SOLD'
                  and not exists (select 1 from revenue_entry s where s.lead_id = $1 and s.kind = 'SALE'
                                  and not exists (select 1 from revenue_entry r where r.lead_id = $1 and r.kind = 'RETURN'
                                                  and r.buyer_id = s.buyer_id))""")
                .execute(Tuple.of(leadId, at)).replaceWithVoid();
    }

    /**
     * A savepoint in the decision's transaction ({@code name} is ours, never input): rolling back to
     * it undoes what came after and releases the row locks taken since (a rejected offer's reservation).
     */
    public Uni<Void> savepoint(SqlConnection conn, String name) {
        return conn.query("savepoint " + name).execute().replaceWithVoid();
    }

    public Uni<Void> releaseSavepoint(SqlConnection conn, String name) {
        return conn.query("release savepoint " + name).execute().replaceWithVoid();
    }

    public Uni<Void> rollbackToSavepoint(SqlConnection conn, String name) {
        return conn.query("rollback to savepoint " + name).execute().replaceWithVoid();
    }

    private static String mode(LeadRecord l) {
        return l.saleMode() == null ? null : l.saleMode().name();
    }

    static LeadRecord lead(Row r) {
        return new LeadRecord(r.getUUID("id"), r.getString("publisher_id"), r.getString("idempotency_key"),
                r.getString("request_hash"), r.getString("vertical"), r.getString("first_name"), r.getString("last_name"),
                r.getString("email"), r.getString("phone"), r.getString("zip"), r.getString("state"),
                r.getString("trusted_form_cert_url"), r.getString("comments"), LeadStatus.valueOf(r.getString("status")),
                r.getString("status_reason"), r.getUUID("buyer_id"), r.getBigDecimal("price"),
                // A sale the previous release wrote has no mode: it sold exclusive.
                r.getString("sale_mode") != null ? Auction.SaleMode.valueOf(r.getString("sale_mode"))
                        : r.getUUID("buyer_id") != null ? Auction.SaleMode.EXCLUSIVE : null,
                r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
    }
}
