package com.nova.wallet.repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.sql.Filters;
import com.nova.wallet.WalletViews.BalanceAt;
import com.nova.wallet.WalletViews.Difference;
import com.nova.wallet.WalletViews.Expiry;
import com.nova.wallet.WalletViews.HoldDifference;
import com.nova.wallet.WalletViews.LotDifference;
import com.nova.wallet.WalletViews.ParkedPurchase;
import com.nova.wallet.WalletViews.Reconciliation;
import com.nova.wallet.WalletViews.Statement;
import com.nova.wallet.WalletViews.StatementCursor;
import com.nova.wallet.WalletViews.StatementLine;
import com.nova.wallet.WalletViews.TransactionPage;
import com.nova.wallet.WalletViews.TransactionView;
import com.nova.wallet.WalletViews.WalletView;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The read models' SQL: wallets, their transactions, parked purchases, reconciliation. Single
 * reads go through the pool; the reconciliation runs on the connection of the caller's transaction.
 */
@ApplicationScoped
public class WalletReadRepository {

    private final Pool pool;

    public WalletReadRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<WalletView> wallet(String driverId) {
        return pool.preparedQuery("""
                select w.nova_balance, w.updated_at,
                    coalesce((select sum(amount) from ledger_entry where account = $2 and direction = 'C' and phase = 'posted'), 0) as earned,
                    coalesce((select sum(t.points) from ledger_transaction t where t.driver_id = $1 and t.kind in ('REDEEM', 'CAPTURE')
                              and t.status = 'COMMITTED'), 0) as redeemed,
                    w.held, next.points, next.at
                from driver_wallets w
                left join lateral (
                    select sum(remaining) as points, expires_at as at from point_lot
                    where driver_id = w.driver_id and remaining > 0 and expires_at is not null
                    group by expires_at order by expires_at limit 1) next on true
                where w.driver_id = $1
                """).execute(Tuple.of(driverId, LedgerRepository.driverAccount(driverId))).map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return new WalletView(driverId, 0, 0, 0, 0, 0, null, null);
                    }
                    Row r = rows.iterator().next();
                    long balance = r.getLong(0);
                    long held = r.getLong(4);
                    Expiry next = r.getValue(5) == null ? null : new Expiry(r.getLong(5), r.getOffsetDateTime(6));
                    return new WalletView(driverId, balance, held, balance - held, r.getLong(2), r.getLong(3), next,
                            r.getOffsetDateTime(1));
                });
    }

    /**
     * The balance and held points as of {@code at}, summed from the account's entries (which
     * never change); a transaction's entries share one time, so none is ever half counted.
     */
    public Uni<BalanceAt> balanceAt(String driverId, OffsetDateTime at) {
        return pool.preparedQuery("select " + POSTED + ", " + PENDING + " from ledger_entry where account = $1 and created_at <= $2")
                .execute(Tuple.of(LedgerRepository.driverAccount(driverId), at)).map(rows -> {
                    Row r = rows.iterator().next();
                    long balance = r.getLong(0);
                    long held = r.getLong(1);
                    return new BalanceAt(driverId, at, balance, held, balance - held);
                });
    }

    /** What a posted entry adds to the driver's balance, and a pending one to its held points. */
    private static final String POSTED = "coalesce(sum(case when phase = 'posted' then case direction when 'C' then amount else -amount end end), 0)";
    private static final String PENDING = "coalesce(sum(case when phase = 'pending' then case direction when 'D' then amount else -amount end end), 0)";

    /**
     * A statement over [from, to), oldest first (or newest first), {@code limit} lines after {@code after} in that
     * order (null: from the start); the running balances are the same either way.
     */
    public Uni<Statement> statement(String driverId, OffsetDateTime from, OffsetDateTime to, StatementCursor after, int limit,
            boolean newestFirst) {
        String account = LedgerRepository.driverAccount(driverId);
        Uni<Row> totals = pool.preparedQuery("""
                select coalesce(sum(case when phase = 'posted' and created_at < $2 then case direction when 'C' then amount else -amount end end), 0),
                       coalesce(sum(case when phase = 'pending' and created_at < $2 then case direction when 'D' then amount else -amount end end), 0),
                       coalesce(sum(case when phase = 'posted' then case direction when 'C' then amount else -amount end end), 0),
                       coalesce(sum(case when phase = 'pending' then case direction when 'D' then amount else -amount end end), 0)
                from ledger_entry where account = $1 and created_at < $3
                """).execute(Tuple.of(account, from, to)).map(rows -> rows.iterator().next());
        return totals.chain(t -> {
            long opening = t.getLong(0);
            long openingHeld = t.getLong(1);
            Tuple args = Tuple.of(account, from, to, opening, openingHeld);
            StringBuilder sql = new StringBuilder("""
                    with tx as (
                        select transaction_id, min(created_at) as at,
                            sum(case when phase = 'posted' then case direction when 'C' then amount else -amount end else 0 end) as change,
                            sum(case when phase = 'pending' then case direction when 'D' then amount else -amount end else 0 end) as held_change
                        from ledger_entry where account = $1 and created_at >= $2 and created_at < $3
                        group by transaction_id
                    ), lines as (
                        select tx.transaction_id, tx.at, t.seq, t.kind, t.merchant_id, t.reference, t.reason, tx.change, tx.held_change,
                            $4 + sum(tx.change) over w as balance, $5 + sum(tx.held_change) over w as held
                        from tx join ledger_transaction t on t.id = tx.transaction_id
                        window w as (order by tx.at, t.seq)
                    )
                    select transaction_id::text, at, seq, kind, merchant_id, reference, reason, change, held_change, balance, held
                    from lines where true""");
            if (after != null) {
                args.addValue(after.at());
                args.addLong(after.seq());
                sql.append(newestFirst ? " and (at, seq) < ($6, $7)" : " and (at, seq) > ($6, $7)");
            }
            args.addInteger(limit + 1);
            sql.append(newestFirst ? " order by at desc, seq desc limit $" : " order by at, seq limit $").append(args.size());
            return pool.preparedQuery(sql.toString()).execute(args).map(rows -> {
                List<StatementLine> lines = new ArrayList<>();
                List<StatementCursor> cursors = new ArrayList<>();
                for (Row r : rows) {
                    cursors.add(new StatementCursor(r.getOffsetDateTime(1), r.getLong(2)));
                    lines.add(new StatementLine(r.getString(0), r.getOffsetDateTime(1), r.getString(3), r.getString(4),
                            r.getString(5), r.getString(6), r.getLong(7), r.getLong(8), r.getLong(9), r.getLong(10)));
                }
                String next = null;
                if (lines.size() > limit) {
                    lines = lines.subList(0, limit);
                    next = cursors.get(limit - 1).encode();
                }
                return new Statement(driverId, from, to, opening, openingHeld, t.getLong(2), t.getLong(3), List.copyOf(lines), next);
            });
        });
    }

    /** Newest first, keyset-paged by the transaction sequence. */
    public Uni<TransactionPage> transactions(String driverId, Long before, int limit) {
        StringBuilder sql = new StringBuilder("""
                select seq, id::text, kind, status, points, shortfall, merchant_id, reference, reason, balance_after, created_at
                from ledger_transaction where driver_id = $1""");
        Tuple args = Tuple.of(driverId);
        Filters.where(sql, args, "seq <", before);
        args.addInteger(limit + 1);
        sql.append(" order by seq desc limit $").append(args.size());
        return pool.preparedQuery(sql.toString()).execute(args).map(rows -> {
            List<TransactionView> items = new ArrayList<>();
            List<Long> seqs = new ArrayList<>();
            for (Row r : rows) {
                seqs.add(r.getLong(0));
                items.add(new TransactionView(r.getString(1), r.getString(2), r.getString(3), r.getLong(4), r.getLong(5),
                        r.getString(6), r.getString(7), r.getString(8), r.getLong(9), r.getOffsetDateTime(10)));
            }
            String next = null;
            if (items.size() > limit) {
                items = items.subList(0, limit);
                next = Long.toString(seqs.get(limit - 1));
            }
            return new TransactionPage(List.copyOf(items), next);
        });
    }

    public Uni<List<ParkedPurchase>> parked(boolean openOnly, int limit) {
        return pool.preparedQuery("""
                select id, source, payment_id, merchant_id, amount_minor, refunded_minor, currency, occurred_at, parked_at,
                    attributed_to, attributed_at, reason, driver_id
                from parked_purchase where ($1 = false or attributed_to is null) order by id desc limit $2
                """).execute(Tuple.of(openOnly, limit)).map(rows -> {
                    List<ParkedPurchase> list = new ArrayList<>();
                    for (Row r : rows) {
                        list.add(new ParkedPurchase(r.getLong(0), r.getString(1), r.getString(2), r.getString(3),
                                r.getLong(4), r.getLong(5), r.getString(6), r.getOffsetDateTime(7), r.getOffsetDateTime(8),
                                r.getString(9), r.getOffsetDateTime(10), r.getString(11), r.getString(12)));
                    }
                    return list;
                });
    }

    /**
     * Recomputes every balance from the posted entries and compares it with the wallet; checks
     * every transaction balances in each phase, every wallet's held points equal its active holds
     * and its pending entries, and every balance equals what its point lots have left. Runs in
     * one repeatable-read snapshot so concurrent writes cannot fake a difference: call it first in
     * the caller's transaction.
     */
    public Uni<Reconciliation> reconcile(SqlConnection conn) {
        return conn.query("set transaction isolation level repeatable read").execute()
                .chain(() -> conn.query("""
                        with ledger as (
                            select substr(account, 8) as driver_id,
                                   sum(case when phase = 'posted' then case direction when 'C' then amount else -amount end else 0 end) as balance
                            from ledger_entry where account like 'driver:%' group by account
                        )
                        select coalesce(w.driver_id, l.driver_id), coalesce(w.nova_balance, 0), coalesce(l.balance, 0)
                        from driver_wallets w full join ledger l on l.driver_id = w.driver_id
                        where coalesce(w.nova_balance, 0) <> coalesce(l.balance, 0)
                        order by 1 limit 1000
                        """).execute())
                .chain(diffRows -> conn.query("""
                        with pending as (
                            select substr(account, 8) as driver_id,
                                   sum(case direction when 'D' then amount else -amount end) as held
                            from ledger_entry where account like 'driver:%' and phase = 'pending' group by account
                        ), holds as (
                            select driver_id, sum(amount) as held from wallet_hold where status = 'active' group by driver_id
                        )
                        select w.driver_id, w.held, coalesce(h.held, 0), coalesce(p.held, 0)
                        from driver_wallets w left join holds h on h.driver_id = w.driver_id left join pending p on p.driver_id = w.driver_id
                        where w.held <> coalesce(h.held, 0) or w.held <> coalesce(p.held, 0)
                        order by 1 limit 1000
                        """).execute()
                        .chain(holdRows -> conn.query("""
                                with lots as (select driver_id, sum(remaining) as remaining from point_lot group by driver_id)
                                select w.driver_id, w.nova_balance, coalesce(l.remaining, 0)
                                from driver_wallets w left join lots l on l.driver_id = w.driver_id
                                where w.nova_balance <> coalesce(l.remaining, 0)
                                order by 1 limit 1000
                                """).execute()
                                .chain(lotRows -> conn.query("""
                                        select (select count(*) from driver_wallets),
                                               (select count(*) from (select transaction_id from ledger_entry group by transaction_id, phase
                                                  having sum(case direction when 'D' then amount else -amount end) <> 0) u),
                                               coalesce((select sum(case direction when 'D' then amount else -amount end)
                                                  from ledger_entry where account = 'issuer'), 0),
                                               coalesce((select sum(nova_balance) from driver_wallets), 0),
                                               coalesce((select sum(held) from driver_wallets), 0)
                                        """).execute().map(totals -> {
                                            List<Difference> diffs = new ArrayList<>();
                                            for (Row r : diffRows) {
                                                diffs.add(new Difference(r.getString(0), r.getLong(1), r.getLong(2)));
                                            }
                                            List<HoldDifference> holdDiffs = new ArrayList<>();
                                            for (Row r : holdRows) {
                                                holdDiffs.add(new HoldDifference(r.getString(0), r.getLong(1), r.getLong(2), r.getLong(3)));
                                            }
                                            List<LotDifference> lotDiffs = new ArrayList<>();
                                            for (Row r : lotRows) {
                                                lotDiffs.add(new LotDifference(r.getString(0), r.getLong(1), r.getLong(2)));
                                            }
                                            Row t = totals.iterator().next();
                                            return new Reconciliation(diffs.isEmpty() && t.getLong(1) == 0 && holdDiffs.isEmpty()
                                                    && lotDiffs.isEmpty(), t.getLong(0), diffs, t.getLong(1), t.getLong(2), t.getLong(3),
                                                    holdDiffs, lotDiffs, t.getLong(4));
                                        }))));
    }
}
