package com.nova.wallet.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The ledger's SQL. Every method runs inside the caller's reactive transaction. Balances move
 * only through {@link #credit} and {@link #debit}: single conditional statements whose row count
 * decides, never a read-modify-write.
 */
@ApplicationScoped
public class Ledger {

    public static final String ISSUER = "issuer";
    public static final String ADJUSTMENTS = "adjustments";

    /** One side of a balanced pair. */
    public record Entry(String account, char direction, long amount) {
    }

    /** A transaction as stored, which is also the answer to a retried request. */
    public record Stored(UUID id, String kind, String status, long points, long shortfall, String requestHash,
            String merchantId, String reason, Long balanceAfter, java.time.OffsetDateTime createdAt) {
    }

    public static String driverAccount(String driverId) {
        return "driver:" + driverId;
    }

    public static String merchantAccount(String merchantId) {
        return "merchant:" + merchantId;
    }

    /**
     * Inserts a transaction unless its scoped idempotency key exists. Yields null when this call
     * claimed the key, or the stored transaction that already holds it (a concurrent claimant
     * waits on the unique index until the first commits, then sees its outcome).
     */
    public Uni<Stored> claim(UUID id, String driverId, String kind, long points, String scope, String key,
            String requestHash, String merchantId, String reference, String reason, String actor) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                insert into ledger_transaction (id, driver_id, kind, status, points, idempotency_scope, idempotency_key,
                    request_hash, merchant_id, reference, reason, actor)
                values (?1, ?2, ?3, 'COMMITTED', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                on conflict (idempotency_scope, idempotency_key) do nothing
                returning id
                """, UUID.class)
                .setParameter(1, id).setParameter(2, driverId).setParameter(3, kind).setParameter(4, points)
                .setParameter(5, scope).setParameter(6, key).setParameter(7, requestHash).setParameter(8, merchantId)
                .setParameter(9, reference).setParameter(10, reason).setParameter(11, actor)
                .getResultList())
                .chain(ids -> ids.isEmpty() ? find(scope, key) : Uni.createFrom().nullItem());
    }

    public Uni<Stored> find(String scope, String key) {
        return Panache.getSession().chain(s -> s.createNativeQuery(SELECT_STORED
                + " where idempotency_scope = ?1 and idempotency_key = ?2", Object[].class)
                .setParameter(1, scope).setParameter(2, key).getResultList())
                .map(rows -> rows.isEmpty() ? null : stored(rows.get(0)));
    }

    public Uni<Stored> findById(UUID id) {
        return Panache.getSession().chain(s -> s.createNativeQuery(SELECT_STORED + " where id = ?1", Object[].class)
                .setParameter(1, id).getResultList())
                .map(rows -> rows.isEmpty() ? null : stored(rows.get(0)));
    }

    private static final String SELECT_STORED = "select id, kind, status, points, shortfall, request_hash, merchant_id, "
            + "reason, balance_after, created_at from ledger_transaction";

    /** Creates the driver's wallet at zero unless it exists. */
    public Uni<Void> ensureWallet(String driverId) {
        return update("insert into driver_wallets (driver_id) values (?1) on conflict (driver_id) do nothing", driverId)
                .replaceWithVoid();
    }

    public Uni<Long> credit(String driverId, long points) {
        return update("update driver_wallets set nova_balance = nova_balance + ?1, updated_at = clock_timestamp() where driver_id = ?2",
                points, driverId).map(n -> {
                    if (n != 1) {
                        throw new IllegalStateException("no wallet to credit");
                    }
                    return points;
                });
    }

    /**
     * The one guarded debit every debit path uses (000:P0-3). All or nothing: the balance moves
     * only if it covers {@code points}, decided by the statement's row count; yields the points
     * taken (0 when refused). Partial (refund reversals only): takes what there is, up to
     * {@code points}, and yields that; the rest is the caller's recorded shortfall. The CHECK
     * constraint stands behind both, should this code ever be wrong (000:P0-2).
     */
    public Uni<Long> debit(String driverId, long points, boolean partial) {
        if (points <= 0) {
            return Uni.createFrom().item(0L);
        }
        if (!partial) {
            return update("""
                    update driver_wallets set nova_balance = nova_balance - ?1, updated_at = clock_timestamp()
                    where driver_id = ?2 and nova_balance >= ?1
                    """, points, driverId).map(n -> n == 1 ? points : 0L);
        }
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                with current as (select nova_balance from driver_wallets where driver_id = ?2 for update)
                update driver_wallets w set nova_balance = w.nova_balance - least(current.nova_balance, ?1),
                    updated_at = clock_timestamp()
                from current where w.driver_id = ?2
                returning least(current.nova_balance, ?1)
                """, Long.class).setParameter(1, points).setParameter(2, driverId).getResultList())
                .map(taken -> taken.isEmpty() ? 0L : taken.get(0));
    }

    public Uni<Long> balance(String driverId) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "select nova_balance from driver_wallets where driver_id = ?1", Long.class)
                .setParameter(1, driverId).getResultList())
                .map(rows -> rows.isEmpty() ? 0L : rows.get(0));
    }

    /** Appends the entries of a transaction; the database refuses the commit if they do not balance. */
    public Uni<Void> entries(UUID transactionId, List<Entry> entries) {
        Uni<Integer> chain = Uni.createFrom().item(0);
        for (Entry e : entries) {
            chain = chain.chain(() -> update(
                    "insert into ledger_entry (transaction_id, account, direction, amount) values (?1, ?2, ?3, ?4)",
                    transactionId, e.account(), String.valueOf(e.direction()), e.amount()));
        }
        return chain.replaceWithVoid();
    }

    /** Records the outcome a claimed transaction ended with; it never changes after the commit. */
    public Uni<Void> settle(UUID id, String status, long points, long shortfall, String reason, Long balanceAfter) {
        return update("""
                update ledger_transaction set status = ?2, points = ?3, shortfall = ?4, reason = coalesce(?5, reason),
                    balance_after = ?6 where id = ?1
                """, id, status, points, shortfall, reason, balanceAfter).replaceWithVoid();
    }

    public Uni<Integer> update(String sql, Object... params) {
        return Panache.getSession().chain(s -> {
            var query = s.createNativeQuery(sql);
            for (int i = 0; i < params.length; i++) {
                query.setParameter(i + 1, params[i]);
            }
            return query.executeUpdate();
        });
    }

    static Stored stored(Object[] r) {
        return new Stored((UUID) r[0], (String) r[1], (String) r[2], ((Number) r[3]).longValue(),
                ((Number) r[4]).longValue(), (String) r[5], (String) r[6], (String) r[7],
                r[8] == null ? null : ((Number) r[8]).longValue(), toOffset(r[9]));
    }

    static java.time.OffsetDateTime toOffset(Object value) {
        if (value instanceof java.time.OffsetDateTime o) {
            return o;
        }
        if (value instanceof java.time.Instant i) {
            return i.atOffset(java.time.ZoneOffset.UTC);
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant().atOffset(java.time.ZoneOffset.UTC);
        }
        if (value instanceof java.time.LocalDateTime l) {
            return l.atOffset(java.time.ZoneOffset.UTC);
        }
        return null;
    }
}
