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

    public Uni<LeadRecord> find(SqlClient db, UUID id) {
        return db.preparedQuery("select " + LEAD_COLUMNS + " from lead where id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : lead(rows.iterator().next()));
    }

    public Uni<LeadRecord> lockHeld(SqlConnection conn, UUID id) {
        return conn.preparedQuery("select " + LEAD_COLUMNS + " from lead where id = $1 and status = 'HELD' for update")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : lead(rows.iterator().next()));
    }

    /** Whether any of these person keys is claimed by a lead within [from, to). A hint only: the constraint decides. */
    public Uni<Boolean> personClaimed(SqlClient db, String[] personKeys, OffsetDateTime from, OffsetDateTime to) {
        return db.preparedQuery("select 1 from lead_person_claim where person_key = any($1) and active_during && tstzrange($2, $3) limit 1")
                .execute(Tuple.of(personKeys, from, to))
                .map(rows -> rows.size() > 0);
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

    public Uni<Void> insertAuction(SqlConnection conn, AuctionResult a) {
        List<Auction.Bid> bids = a.bids();
        UUID leadId = a.leadId();
        io.vertx.core.json.JsonArray offers = new io.vertx.core.json.JsonArray();
        for (Auction.Offer o : a.offers()) {
            offers.add(new io.vertx.core.json.JsonObject().put("buyerId", o.buyerId().toString()).put("price", o.price().toPlainString())
                    .put("accepted", o.accepted()).put("reason", o.reason()).put("status", o.status()).put("latencyMs", o.latencyMs()));
        }
        Uni<Void> auction = conn.preparedQuery("insert into auction (lead_id, decided_at, winner_id, price, deciding_rule, considered, sale_mode, offers) values ($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(Tuple.from(new Object[] { leadId, a.decidedAt(), a.winnerId(), a.price(), a.rule().name(), bids.size(),
                        a.mode() == null ? null : a.mode().name(), offers }))
                .replaceWithVoid();
        if (bids.isEmpty()) {
            return auction;
        }
        UUID[] buyers = bids.stream().map(Auction.Bid::buyerId).toArray(UUID[]::new);
        String[] amounts = bids.stream().map(b -> b.amount().toPlainString()).toArray(String[]::new);
        String[] outcomes = bids.stream().map(b -> b.outcome().name()).toArray(String[]::new);
        String[] shared = bids.stream().map(b -> b.sharedAmount() == null ? null : b.sharedAmount().toPlainString()).toArray(String[]::new);
        return auction.chain(() -> conn.preparedQuery("insert into auction_bid (lead_id, buyer_id, bid, outcome, shared_bid) select $1, b, a::numeric, o, s::numeric from unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) as t(b, a, o, s)")
                .execute(Tuple.from(new Object[] { leadId, buyers, amounts, outcomes, shared }))
                .replaceWithVoid());
    }

    /** One sale of a lead to one buyer at {@code price} (an exclusive lead has one, a shared lead one per buyer). */
    public record SaleEntry(UUID buyerId, BigDecimal price, BigDecimal payout, BigDecimal margin, boolean capsBackOnReturn) {
    }

    public Uni<Void> insertSale(SqlConnection conn, LeadRecord lead, SaleEntry sale, OffsetDateTime at) {
        return conn.preparedQuery("insert into revenue_entry (lead_id, kind, buyer_id, publisher_id, vertical, price, payout, margin, booked_at, caps_back_on_return) values ($1, 'SALE', $2, $3, $4, $5, $6, $7, $8, $9)")
                .execute(Tuple.from(new Object[] { lead.id(), sale.buyerId(), lead.publisherId(), lead.vertical(),
                        sale.price(), sale.payout(), sale.margin(), at, sale.capsBackOnReturn() }))
                .replaceWithVoid();
    }

    /**
     * Undoes a {@link #reserve} of this transaction (a sharer of a sale that did not happen, after all):
     * the counters were set to this day and month by it, so they only go back by what it added.
     */
    public Uni<Void> unreserve(SqlConnection conn, UUID buyerId, BigDecimal price) {
        return conn.preparedQuery("update buyer_usage set day_leads = day_leads - 1, day_spend = day_spend - $2, month_leads = month_leads - 1 where buyer_id = $1")
                .execute(Tuple.of(buyerId, price))
                .replaceWithVoid();
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

    /** The delivery of a lead its post-accept buyer accepted when it was offered: delivered by that very post. */
    public Uni<Void> insertDelivered(SqlConnection conn, UUID leadId, UUID buyerId, OffsetDateTime at, Integer status) {
        return conn.preparedQuery("insert into delivery (lead_id, buyer_id, status, attempts, response_code, delivered_at, created_at) values ($1, $2, 'DELIVERED', 1, $3, $4, $4)")
                .execute(Tuple.of(leadId, buyerId, status, at))
                .replaceWithVoid();
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

    public Uni<Void> insertDelivery(SqlConnection conn, UUID leadId, UUID buyerId, OffsetDateTime at) {
        return conn.preparedQuery("insert into delivery (lead_id, buyer_id, status, created_at) values ($1, $2, 'PENDING', $3)")
                .execute(Tuple.of(leadId, buyerId, at))
                .replaceWithVoid();
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
                r.getString("sale_mode") == null ? null : Auction.SaleMode.valueOf(r.getString("sale_mode")),
                r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
    }
}
