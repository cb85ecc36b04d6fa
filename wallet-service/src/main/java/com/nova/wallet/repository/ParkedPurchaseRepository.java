package com.nova.wallet.repository;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Purchases parked for an admin (no driver, or no earn rate for their currency) until attributed. */
@ApplicationScoped
public class ParkedPurchaseRepository {

    /** A parked purchase as its attribution claimed it. */
    public record Attributed(String source, String paymentId, String merchantId, long amountMinor, String currency,
            long refundedMinor) {
    }

    /** Parks a purchase for an admin; a later, larger capture of it raises what waits. Yields 0 when it was attributed already. */
    public Uni<Integer> park(SqlConnection conn, String source, String paymentId, String merchantId, long amountMinor,
            String currency, OffsetDateTime occurredAt, String reason, String driverId) {
        return conn.preparedQuery("""
                insert into parked_purchase (source, payment_id, merchant_id, amount_minor, currency, occurred_at, reason, driver_id)
                values ($1, $2, $3, $4, $5, $6, $7, $8)
                on conflict (source, payment_id) do update set amount_minor = greatest(parked_purchase.amount_minor, excluded.amount_minor)
                where parked_purchase.attributed_to is null
                """).execute(Tuple.from(new Object[] { source, paymentId, merchantId, amountMinor, currency, occurredAt,
                        reason, driverId }))
                .map(rows -> rows.rowCount());
    }

    /** A refund of a purchase still parked lowers what its attribution will grant; yields the rows changed (0 when not parked). */
    public Uni<Integer> recordRefund(SqlConnection conn, String source, String paymentId, long refundMinor) {
        return conn.preparedQuery("""
                update parked_purchase set refunded_minor = least(amount_minor, refunded_minor + $3)
                where source = $1 and payment_id = $2 and attributed_to is null
                """).execute(Tuple.of(source, paymentId, refundMinor)).map(rows -> rows.rowCount());
    }

    /** Marks an open parked purchase attributed to {@code driverId}; null when it does not exist or was attributed already. */
    public Uni<Attributed> attribute(SqlConnection conn, long parkedId, String driverId, String actor) {
        return conn.preparedQuery("""
                update parked_purchase set attributed_to = $2, attributed_at = clock_timestamp(), attributed_by = $3
                where id = $1 and attributed_to is null
                returning source, payment_id, merchant_id, amount_minor, currency, refunded_minor
                """).execute(Tuple.of(parkedId, driverId, actor)).map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row p = rows.iterator().next();
                    return new Attributed(p.getString(0), p.getString(1), p.getString(2), p.getLong(3),
                            p.getString(4).trim(), p.getLong(5));
                });
    }
}
