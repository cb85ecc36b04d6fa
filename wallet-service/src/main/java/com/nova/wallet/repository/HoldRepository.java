package com.nova.wallet.repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.sql.Filters;
import com.nova.wallet.WalletViews.HoldPage;
import com.nova.wallet.WalletViews.HoldView;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Holds' SQL: a hold is made, read, and ended once ({@code where status = 'active'} decides). */
@ApplicationScoped
public class HoldRepository {

    private static final String COLUMNS = "id, driver_id, merchant_id, amount, status, captured, expires_at, created_at, settled_at, seq";

    private final Pool pool;

    public HoldRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<HoldView> insert(SqlConnection conn, UUID id, String driverId, String merchantId, long amount,
            OffsetDateTime expiresAt) {
        return conn.preparedQuery("insert into wallet_hold (id, driver_id, merchant_id, amount, expires_at) values ($1, $2, $3, $4, $5) "
                + "returning " + COLUMNS).execute(Tuple.of(id, driverId, merchantId, amount, expiresAt)).map(HoldRepository::first);
    }

    /** The hold, locked for this transaction; null when there is none by that id on that driver's wallet. */
    public Uni<HoldView> lock(SqlConnection conn, String driverId, UUID id) {
        return conn.preparedQuery("select " + COLUMNS + " from wallet_hold where id = $1 and driver_id = $2 for update")
                .execute(Tuple.of(id, driverId)).map(HoldRepository::first);
    }

    /** Ends an active hold; null when it was not active (it ended before). */
    public Uni<HoldView> settle(SqlConnection conn, UUID id, String status, Long captured, String actor, UUID transactionId) {
        return conn.preparedQuery("""
                update wallet_hold set status = $2, captured = $3, settled_at = clock_timestamp(), settled_by = $4,
                    settle_transaction_id = $5
                where id = $1 and status = 'active'
                returning\s""" + COLUMNS).execute(Tuple.of(id, status, captured, actor, transactionId))
                .map(HoldRepository::first);
    }

    public Uni<HoldView> find(String driverId, UUID id) {
        return pool.preparedQuery("select " + COLUMNS + " from wallet_hold where id = $1 and driver_id = $2")
                .execute(Tuple.of(id, driverId)).map(HoldRepository::first);
    }

    /** Active holds past their time, for the expiry job. */
    public Uni<List<HoldView>> due(OffsetDateTime now, int limit) {
        return pool.preparedQuery("select " + COLUMNS + " from wallet_hold where status = 'active' and expires_at <= $1 "
                + "order by expires_at limit $2").execute(Tuple.of(now, limit)).map(HoldRepository::all);
    }

    /** Newest first, keyset-paged by the hold's sequence. */
    public Uni<HoldPage> list(String driverId, String status, Long before, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from wallet_hold where driver_id = $1");
        Tuple args = Tuple.of(driverId);
        Filters.where(sql, args, "status =", status);
        Filters.where(sql, args, "seq <", before);
        args.addInteger(limit + 1);
        sql.append(" order by seq desc limit $").append(args.size());
        return pool.preparedQuery(sql.toString()).execute(args).map(rows -> {
            List<HoldView> items = all(rows);
            List<Long> seqs = new ArrayList<>();
            rows.forEach(r -> seqs.add(r.getLong(9)));
            String next = null;
            if (items.size() > limit) {
                items = items.subList(0, limit);
                next = Long.toString(seqs.get(limit - 1));
            }
            return new HoldPage(List.copyOf(items), next);
        });
    }

    private static HoldView first(RowSet<Row> rows) {
        return rows.iterator().hasNext() ? view(rows.iterator().next()) : null;
    }

    private static List<HoldView> all(RowSet<Row> rows) {
        List<HoldView> list = new ArrayList<>();
        rows.forEach(r -> list.add(view(r)));
        return list;
    }

    private static HoldView view(Row r) {
        long amount = r.getLong(3);
        String status = r.getString(4);
        Long captured = r.getLong(5);
        return new HoldView(r.getUUID(0).toString(), r.getString(1), r.getString(2), status, amount, captured,
                "active".equals(status) ? null : amount - (captured == null ? 0 : captured), r.getOffsetDateTime(6),
                r.getOffsetDateTime(7), r.getOffsetDateTime(8));
    }
}
