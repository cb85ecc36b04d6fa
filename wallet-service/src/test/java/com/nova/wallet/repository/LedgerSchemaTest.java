package com.nova.wallet.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nova.wallet.WalletFixtures;
import com.nova.wallet.WalletTest;

import io.quarkus.test.junit.QuarkusTest;

/** What the database itself refuses, whatever the application does (a negative balance, the ledger's rules). */
@QuarkusTest
@WalletTest
class LedgerSchemaTest {

    @Test
    void theNonNegativeBalanceConstraintExistsByNameAndHolds() throws Exception {
        assertEquals(1, WalletFixtures.count("""
                select count(*) from pg_constraint where conname = 'check_nova_balance_non_negative'
                and conrelid = 'driver_wallets'::regclass and contype = 'c'"""));
        String d = "schema-" + UUID.randomUUID();
        try (Connection c = WalletFixtures.db(); Statement st = c.createStatement()) {
            st.execute("insert into driver_wallets (driver_id, nova_balance) values ('" + d + "', 5)");
            SQLException refused = assertThrows(SQLException.class,
                    () -> st.execute("update driver_wallets set nova_balance = nova_balance - 6 where driver_id = '" + d + "'"));
            assertEquals("23514", refused.getSQLState());
            st.execute("delete from driver_wallets where driver_id = '" + d + "'");
        }
    }

    @Test
    void entriesAreAppendOnlyAndEveryTransactionMustBalance() throws Exception {
        UUID tx = UUID.randomUUID();
        String d = "schema-" + tx;
        try (Connection c = WalletFixtures.db(); Statement st = c.createStatement()) {
            // A consistent manual transaction (the wallet row matches its entries), so reconciliation stays clean.
            st.execute("insert into driver_wallets (driver_id, nova_balance) values ('" + d + "', 5)");
            st.execute("insert into ledger_transaction (id, driver_id, kind, status, points, idempotency_scope, "
                    + "idempotency_key, request_hash) values ('" + tx + "', '" + d + "', 'ADJUSTMENT', 'COMMITTED', 5, 'schema', '"
                    + tx + "', '" + "0".repeat(64) + "')");
            st.execute("insert into ledger_entry (transaction_id, account, direction, amount) values ('" + tx
                    + "', 'driver:" + d + "', 'C', 5), ('" + tx + "', 'adjustments', 'D', 5)");
            st.execute("insert into point_lot (driver_id, transaction_id, points, remaining) values ('" + d + "', '" + tx + "', 5, 5)");
            for (String sql : new String[] { "update ledger_entry set amount = 6 where transaction_id = '" + tx + "'",
                    "delete from ledger_entry where transaction_id = '" + tx + "'", "truncate ledger_entry cascade" }) {
                assertEquals("42501", assertThrows(SQLException.class, () -> st.execute(sql), sql).getSQLState(), sql);
            }
            UUID unbalanced = UUID.randomUUID();
            st.execute("insert into ledger_transaction (id, driver_id, kind, status, points, idempotency_scope, "
                    + "idempotency_key, request_hash) values ('" + unbalanced + "', 'schema', 'ADJUSTMENT', 'COMMITTED', 5, "
                    + "'schema', '" + unbalanced + "', '" + "0".repeat(64) + "')");
            c.setAutoCommit(false);
            st.execute("insert into ledger_entry (transaction_id, account, direction, amount) values ('" + unbalanced
                    + "', 'driver:schema', 'C', 5)");
            assertEquals("23514", assertThrows(SQLException.class, c::commit).getSQLState(), "a one-sided entry cannot commit");
            // A posted entry cannot pay for a pending one: each phase balances on its own.
            UUID halves = UUID.randomUUID();
            st.execute("insert into ledger_transaction (id, driver_id, kind, status, points, idempotency_scope, "
                    + "idempotency_key, request_hash) values ('" + halves + "', 'schema', 'HOLD', 'COMMITTED', 5, "
                    + "'schema', '" + halves + "', '" + "0".repeat(64) + "')");
            st.execute("insert into ledger_entry (transaction_id, account, direction, amount, phase) values ('" + halves
                    + "', 'driver:schema', 'D', 5, 'pending'), ('" + halves + "', 'merchant:schema', 'C', 5, 'posted')");
            assertEquals("23514", assertThrows(SQLException.class, c::commit).getSQLState(), "phases balance apart");
        }
    }

    @Test
    void heldPointsCannotExceedTheBalanceNorAnEndedHoldChangeAgain() throws Exception {
        String d = "schema-" + UUID.randomUUID();
        try (Connection c = WalletFixtures.db(); Statement st = c.createStatement()) {
            st.execute("insert into driver_wallets (driver_id, nova_balance, held) values ('" + d + "', 5, 5)");
            SQLException refused = assertThrows(SQLException.class,
                    () -> st.execute("update driver_wallets set held = 6 where driver_id = '" + d + "'"));
            assertEquals("23514", refused.getSQLState());
            assertEquals("23514", assertThrows(SQLException.class,
                    () -> st.execute("update driver_wallets set nova_balance = 4 where driver_id = '" + d + "'")).getSQLState());
            UUID tx = UUID.randomUUID();
            st.execute("insert into ledger_transaction (id, driver_id, kind, status, points, idempotency_scope, "
                    + "idempotency_key, request_hash) values ('" + tx + "', '" + d + "', 'HOLD', 'REJECTED', 5, 'schema', '"
                    + tx + "', '" + "0".repeat(64) + "')");
            st.execute("insert into wallet_hold (id, driver_id, merchant_id, amount, status, expires_at, settled_at) values ('" + tx
                    + "', '" + d + "', 'm', 5, 'voided', now(), now())");
            assertEquals("23514", assertThrows(SQLException.class,
                    () -> st.execute("update wallet_hold set status = 'active', settled_at = null where id = '" + tx + "'")).getSQLState());
            st.execute("delete from wallet_hold where id = '" + tx + "'");
            st.execute("delete from driver_wallets where driver_id = '" + d + "'");
        }
    }
}
