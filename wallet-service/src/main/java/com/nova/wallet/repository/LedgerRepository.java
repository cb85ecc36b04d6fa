package com.nova.wallet.repository;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The ledger's SQL (transactions, entries, wallet balances, purchase grants), on the reactive PostgreSQL client directly: every method runs on the
 * connection of the caller's open transaction ({@code pool.withTransaction}). Balances move only
 * through {@link #credit} and {@link #debit}: single conditional statements whose row count
 * decides, never a read-modify-write.
 */
@ApplicationScoped
public class LedgerRepository {

    public static final String ISSUER = "issuer";
    public static final String ADJUSTMENTS = "adjustments";

    public static final String EXPIRED = "expired";

    /** One side of a balanced pair; posted unless it only reserves (a hold's pending entries). */
    public record Entry(String account, char direction, long amount, boolean pending) {

        public Entry(String account, char direction, long amount) {
            this(account, direction, amount, false);
        }

        public static Entry pending(String account, char direction, long amount) {
            return new Entry(account, direction, amount, true);
        }
    }

    /** A transaction as stored, which is also the answer to a retried request. */
    public record Stored(UUID id, String kind, String status, long points, long shortfall, String requestHash,
            String merchantId, String reason, Long balanceAfter, OffsetDateTime createdAt) {
    }

    private static final String SELECT_STORED = "select id, kind, status, points, shortfall, request_hash, merchant_id, "
            + "reason, balance_after, created_at from ledger_transaction";

    public static String driverAccount(String driverId) {
        return "driver:" + driverId;
    }

    public static String merchantAccount(String merchantId) {
        return "merchant:" + merchantId;
    }

    /** What {@link #claim} inserts: a transaction under its scoped idempotency key. */
    public record Claim(UUID id, String driverId, String kind, long points, String scope, String key, String requestHash,
            String merchantId, String reference, String reason, String actor) {
    }

    /**
     * Inserts a transaction unless its scoped idempotency key exists. Yields null when this call
     * claimed the key, or the stored transaction that already holds it (a concurrent claimant
     * waits on the unique index until the first commits, then sees its outcome).
     */
    public Uni<Stored> claim(SqlConnection conn, Claim c) {
        return conn.preparedQuery("""
                insert into ledger_transaction (id, driver_id, kind, status, points, idempotency_scope, idempotency_key,
                    request_hash, merchant_id, reference, reason, actor)
                values ($1, $2, $3, 'COMMITTED', $4, $5, $6, $7, $8, $9, $10, $11)
                on conflict (idempotency_scope, idempotency_key) do nothing
                """).execute(Tuple.from(new Object[] { c.id(), c.driverId(), c.kind(), c.points(), c.scope(), c.key(),
                        c.requestHash(), c.merchantId(), c.reference(), c.reason(), c.actor() }))
                .chain(rows -> rows.rowCount() == 1 ? Uni.createFrom().nullItem() : find(conn, c.scope(), c.key()));
    }

    public Uni<Stored> find(SqlConnection conn, String scope, String key) {
        return conn.preparedQuery(SELECT_STORED + " where idempotency_scope = $1 and idempotency_key = $2")
                .execute(Tuple.of(scope, key)).map(LedgerRepository::first);
    }

    /** Creates the driver's wallet at zero unless it exists. */
    public Uni<Void> ensureWallet(SqlConnection conn, String driverId) {
        return update(conn, "insert into driver_wallets (driver_id) values ($1) on conflict (driver_id) do nothing", driverId)
                .replaceWithVoid();
    }

    public Uni<Long> credit(SqlConnection conn, String driverId, long points) {
        return update(conn, "update driver_wallets set nova_balance = nova_balance + $1, updated_at = clock_timestamp() where driver_id = $2",
                points, driverId).map(n -> {
                    if (n != 1) {
                        throw new IllegalStateException("no wallet to credit");
                    }
                    return points;
                });
    }

    /**
     * The one guarded debit every debit path uses: it spends only available points (the balance
     * less what holds reserve). All or nothing: the balance moves only if the available points
     * cover {@code points}, decided by the statement's row count; yields the points taken (0 when
     * refused). Partial (refund reversals, expiry): takes what is available, up to {@code points},
     * and yields that; the rest is the caller's to record. The CHECK constraints stand behind
     * both, should this code ever be wrong.
     */
    public Uni<Long> debit(SqlConnection conn, String driverId, long points, boolean partial) {
        if (points <= 0) {
            return Uni.createFrom().item(0L);
        }
        if (!partial) {
            return update(conn, """
                    update driver_wallets set nova_balance = nova_balance - $1, updated_at = clock_timestamp()
                    where driver_id = $2 and nova_balance - held >= $1
                    """, points, driverId).map(n -> n == 1 ? points : 0L);
        }
        return conn.preparedQuery("""
                with current as (select nova_balance - held as available from driver_wallets where driver_id = $2 for update)
                update driver_wallets w set nova_balance = w.nova_balance - least(current.available, $1),
                    updated_at = clock_timestamp()
                from current where w.driver_id = $2
                returning least(current.available, $1)
                """).execute(Tuple.of(points, driverId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong(0) : 0L);
    }

    /**
     * Appends the entries of a transaction in one statement, all at one time (so a balance at any
     * instant counts all of a transaction or none of it: the uncorrelated sub-select is evaluated
     * once per statement); the statement starts with INSERT so that its trace span is named after
     * the table. The database refuses the commit if the entries do not balance.
     */
    public Uni<Void> entries(SqlConnection conn, UUID transactionId, List<Entry> entries) {
        String[] accounts = new String[entries.size()];
        String[] directions = new String[entries.size()];
        Long[] amounts = new Long[entries.size()];
        String[] phases = new String[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            accounts[i] = e.account();
            directions[i] = String.valueOf(e.direction());
            amounts[i] = e.amount();
            phases[i] = e.pending() ? "pending" : "posted";
        }
        return conn.preparedQuery("""
                insert into ledger_entry (transaction_id, account, direction, amount, phase, created_at)
                select $1, e.account, e.direction, e.amount, e.phase, (select clock_timestamp())
                from unnest($2::text[], $3::text[], $4::bigint[], $5::text[]) as e (account, direction, amount, phase)
                """).execute(Tuple.of(transactionId, accounts, directions, amounts, phases)).replaceWithVoid();
    }

    /** Records the outcome a claimed transaction ended with, and the balance after it; it never changes after the commit. */
    public Uni<Stored> settle(SqlConnection conn, UUID id, String driverId, String status, long points, long shortfall,
            String reason) {
        return conn.preparedQuery("""
                update ledger_transaction set status = $2, points = $3, shortfall = $4, reason = coalesce($5, reason),
                    balance_after = (select nova_balance from driver_wallets where driver_id = $6)
                where id = $1
                returning id, kind, status, points, shortfall, request_hash, merchant_id, reason, balance_after, created_at
                """).execute(Tuple.from(new Object[] { id, status, points, shortfall, reason, driverId }))
                .map(LedgerRepository::first);
    }

    /** What a granted purchase earned so far, locked for this transaction; null when it was never granted. */
    public record Grant(String driverId, long amountMinor, String currency, long points, BigDecimal pointsPerUnit,
            long refundedMinor, long reversedPoints) {
    }

    public Uni<Grant> lockGrant(SqlConnection conn, String source, String paymentId) {
        return conn.preparedQuery("""
                select driver_id, amount_minor, currency, points, points_per_unit, refunded_minor, reversed_points
                from purchase_grant where source = $1 and payment_id = $2 for update
                """).execute(Tuple.of(source, paymentId)).map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new Grant(r.getString(0), r.getLong(1), r.getString(2).trim(), r.getLong(3), r.getBigDecimal(4),
                            r.getLong(5), r.getLong(6));
                });
    }

    /** The first grant of a payment: what it earned, and what refunds known already took back of it. */
    public Uni<Void> insertGrant(SqlConnection conn, String source, String paymentId, String driverId, String merchantId,
            long amountMinor, String currency, long points, BigDecimal pointsPerUnit, UUID transactionId,
            long refundedMinor, long reversedPoints) {
        return update(conn, """
                insert into purchase_grant (source, payment_id, driver_id, merchant_id, amount_minor, currency, points,
                    points_per_unit, transaction_id, refunded_minor, reversed_points)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                """, source, paymentId, driverId, merchantId, amountMinor, currency, points, pointsPerUnit, transactionId,
                refundedMinor, reversedPoints).replaceWithVoid();
    }

    /** What refunds of a payment total now, and the points they took back in all. */
    public Uni<Void> recordRefunds(SqlConnection conn, String source, String paymentId, long refundedMinor,
            long reversedPoints) {
        return update(conn, "update purchase_grant set refunded_minor = $3, reversed_points = $4 "
                + "where source = $1 and payment_id = $2", source, paymentId, refundedMinor, reversedPoints).replaceWithVoid();
    }

    /** A later capture of the same payment: the grant now covers {@code amountMinor} and {@code points} in total. */
    public Uni<Void> raiseGrant(SqlConnection conn, String source, String paymentId, long amountMinor, long points,
            BigDecimal pointsPerUnit) {
        return update(conn, """
                update purchase_grant set amount_minor = $3, points = $4, points_per_unit = $5
                where source = $1 and payment_id = $2
                """, source, paymentId, amountMinor, points, pointsPerUnit).replaceWithVoid();
    }

    /**
     * Reserves {@code points} of the available balance for a hold, only if they are available
     * (the row count decides, as for a debit); true when reserved.
     */
    public Uni<Boolean> reserve(SqlConnection conn, String driverId, long points) {
        return update(conn, """
                update driver_wallets set held = held + $1, updated_at = clock_timestamp()
                where driver_id = $2 and nova_balance - held >= $1
                """, points, driverId).map(n -> n == 1);
    }

    /**
     * Ends a reservation: releases {@code held} points and spends {@code spent} of them
     * ({@code spent <= held}, so the available balance cannot fall).
     */
    public Uni<Void> settleReservation(SqlConnection conn, String driverId, long held, long spent) {
        return update(conn, """
                update driver_wallets set held = held - $1, nova_balance = nova_balance - $2, updated_at = clock_timestamp()
                where driver_id = $3
                """, held, spent, driverId).map(n -> {
                    if (n != 1) {
                        throw new IllegalStateException("no wallet holds these points");
                    }
                    return null;
                }).replaceWithVoid();
    }

    /** Locks the driver's wallet row for this transaction, so its lots and holds change in one order. */
    public Uni<Void> lockWallet(SqlConnection conn, String driverId) {
        return conn.preparedQuery("select 1 from driver_wallets where driver_id = $1 for update").execute(Tuple.of(driverId))
                .replaceWithVoid();
    }

    private static Uni<Integer> update(SqlConnection conn, String sql, Object... params) {
        return conn.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> rows.rowCount());
    }

    private static Stored first(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        if (!rows.iterator().hasNext()) {
            return null;
        }
        Row r = rows.iterator().next();
        return new Stored(r.getUUID(0), r.getString(1), r.getString(2), r.getLong(3), r.getLong(4), r.getString(5),
                r.getString(6), r.getString(7), r.getLong(8), r.getOffsetDateTime(9));
    }
}
