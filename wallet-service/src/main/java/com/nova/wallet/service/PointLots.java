package com.nova.wallet.service;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.wallet.config.WalletConfig;
import com.nova.wallet.repository.PointLotRepository;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Which points a credit and a debit are: every credit is a lot that expires after
 * {@code wallet.points.expire-after}, every debit takes from the lots that expire first (a
 * refund's reversal from its own payment's lot first). Called in the transaction that moved the
 * balance, after the wallet row was locked by that move.
 */
@ApplicationScoped
public class PointLots {

    private final PointLotRepository lots;
    private final WalletConfig.PointExpiry config;
    private final Clock clock;

    public PointLots(PointLotRepository lots, WalletConfig config, Clock clock) {
        this.lots = lots;
        this.config = config.points();
        this.clock = clock;
    }

    /** Points credited by {@code transactionId}; {@code source} and {@code paymentId} name the payment that earned them, if one did. */
    public Uni<Void> credited(SqlConnection conn, String driverId, UUID transactionId, String source, String paymentId,
            long points) {
        OffsetDateTime expiresAt = config.expireAfter().isZero() ? null
                : OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).plus(config.expireAfter());
        return lots.add(conn, driverId, transactionId, source, paymentId, points, expiresAt);
    }

    /** Points debited: taken from the lots that expire first. */
    public Uni<Void> debited(SqlConnection conn, String driverId, long points) {
        return takenBack(conn, driverId, points, null, null);
    }

    /** Points a refund's reversal took back: from its payment's lots first, then as any debit. */
    public Uni<Void> takenBack(SqlConnection conn, String driverId, long points, String source, String paymentId) {
        return lots.consume(conn, driverId, points, source, paymentId).invoke(taken -> {
            if (taken != points) {
                // The balance allowed the debit, so the lots should have too; reconciliation reports the wallet.
                Log.errorf("Wallet %s: %d points debited but its lots held only %d", driverId, points, taken);
            }
        }).replaceWithVoid();
    }
}
