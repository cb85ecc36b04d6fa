package com.nova.wallet.repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Point lots' SQL. Every change of a driver's lots runs after its wallet row was locked in the same
 * transaction (a credit, a debit or {@link LedgerRepository#lockWallet}), so lots change in the
 * wallet's order and their remaining points always add up to its balance.
 */
@ApplicationScoped
public class PointLotRepository {

    private final Pool pool;

    public PointLotRepository(Pool pool) {
        this.pool = pool;
    }

    /** A lot due to expire. */
    public record DueLot(long id, String driverId) {
    }

    /** A lot as the expiry job reads it under the wallet's lock. */
    public record Lot(long id, String driverId, long remaining, OffsetDateTime expiresAt) {
    }

    public Uni<Void> add(SqlConnection conn, String driverId, UUID transactionId, String source, String paymentId,
            long points, OffsetDateTime expiresAt) {
        if (points <= 0) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("""
                insert into point_lot (driver_id, transaction_id, source, payment_id, points, remaining, expires_at)
                values ($1, $2, $3, $4, $5, $5, $6)
                """).execute(Tuple.from(new Object[] { driverId, transactionId, source, paymentId, points, expiresAt }))
                .replaceWithVoid();
    }

    /**
     * Takes {@code points} from the driver's lots: first those of the payment named (a refund takes
     * back what its payment granted), then the ones that expire first (never-expiring last), oldest
     * first among equals. Yields the points taken, which is less only if the lots hold less.
     */
    public Uni<Long> consume(SqlConnection conn, String driverId, long points, String source, String paymentId) {
        if (points <= 0) {
            return Uni.createFrom().item(0L);
        }
        return conn.preparedQuery("""
                with ordered as (
                    select id, remaining,
                        sum(remaining) over (order by coalesce(source = $3 and payment_id = $4, false) desc,
                            expires_at asc nulls last, id) - remaining as before
                    from point_lot where driver_id = $1 and remaining > 0
                ), taken as (
                    update point_lot l set remaining = l.remaining - least(o.remaining, $2 - o.before)
                    from ordered o where l.id = o.id and o.before < $2
                    returning least(o.remaining, $2 - o.before) as points
                )
                select coalesce(sum(points), 0) from taken
                """).execute(Tuple.of(driverId, points, source, paymentId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Lots whose time has come, oldest due first; lots of wallets with nothing available are left
     * for a later pass (their points are all held), so they cannot crowd the others out of a pass.
     */
    public Uni<List<DueLot>> due(OffsetDateTime now, int limit) {
        return pool.preparedQuery("""
                select l.id, l.driver_id from point_lot l join driver_wallets w on w.driver_id = l.driver_id
                where l.remaining > 0 and l.expires_at <= $1 and w.nova_balance - w.held > 0
                order by l.expires_at, l.id limit $2
                """).execute(Tuple.of(now, limit)).map(rows -> {
                    List<DueLot> due = new ArrayList<>();
                    for (Row r : rows) {
                        due.add(new DueLot(r.getLong(0), r.getString(1)));
                    }
                    return due;
                });
    }

    /** Re-reads a lot under the caller's wallet lock; null when it was emptied meanwhile. */
    public Uni<Lot> lock(SqlConnection conn, long id) {
        return conn.preparedQuery("select id, driver_id, remaining, expires_at from point_lot where id = $1 and remaining > 0 for update")
                .execute(Tuple.of(id)).map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new Lot(r.getLong(0), r.getString(1), r.getLong(2), r.getOffsetDateTime(3));
                });
    }

    public Uni<Void> reduce(SqlConnection conn, long id, long points) {
        return conn.preparedQuery("update point_lot set remaining = remaining - $2 where id = $1").execute(Tuple.of(id, points))
                .replaceWithVoid();
    }
}
