package com.nova.wallet.repository;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.sql.Filters;
import com.nova.wallet.WalletViews.Difference;
import com.nova.wallet.WalletViews.ParkedPurchase;
import com.nova.wallet.WalletViews.Reconciliation;
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
                    coalesce((select sum(amount) from ledger_entry where account = $2 and direction = 'C'), 0) as earned,
                    coalesce((select sum(t.points) from ledger_transaction t where t.driver_id = $1 and t.kind = 'REDEEM'
                              and t.status = 'COMMITTED'), 0) as redeemed
                from driver_wallets w where w.driver_id = $1
                """).execute(Tuple.of(driverId, LedgerRepository.driverAccount(driverId))).map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return new WalletView(driverId, 0, 0, 0, null);
                    }
                    Row r = rows.iterator().next();
                    return new WalletView(driverId, r.getLong(0), r.getLong(2), r.getLong(3), r.getOffsetDateTime(1));
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
     * Recomputes every balance from the entries and compares it with the wallet; checks every
     * transaction balances. Runs in one repeatable-read snapshot so concurrent writes cannot fake
     * a difference: call it first in the caller's transaction.
     */
    public Uni<Reconciliation> reconcile(SqlConnection conn) {
        return conn.query("set transaction isolation level repeatable read").execute()
                .chain(() -> conn.query("""
                        with ledger as (
                            select substr(account, 8) as driver_id,
                                   sum(case direction when 'C' then amount else -amount end) as balance
                            from ledger_entry where account like 'driver:%' group by account
                        )
                        select coalesce(w.driver_id, l.driver_id), coalesce(w.nova_balance, 0), coalesce(l.balance, 0)
                        from driver_wallets w full join ledger l on l.driver_id = w.driver_id
                        where coalesce(w.nova_balance, 0) <> coalesce(l.balance, 0)
                        order by 1 limit 1000
                        """).execute())
                .chain(diffRows -> conn.query("""
                        select (select count(*) from driver_wallets),
                               (select count(*) from (select transaction_id from ledger_entry group by transaction_id
                                  having sum(case direction when 'D' then amount else -amount end) <> 0) u),
                               coalesce((select sum(case direction when 'D' then amount else -amount end)
                                  from ledger_entry where account = 'issuer'), 0),
                               coalesce((select sum(nova_balance) from driver_wallets), 0)
                        """).execute().map(totals -> {
                            List<Difference> diffs = new ArrayList<>();
                            for (Row r : diffRows) {
                                diffs.add(new Difference(r.getString(0), r.getLong(1), r.getLong(2)));
                            }
                            Row t = totals.iterator().next();
                            return new Reconciliation(diffs.isEmpty() && t.getLong(1) == 0, t.getLong(0), diffs,
                                    t.getLong(1), t.getLong(2), t.getLong(3));
                        }));
    }
}
