package com.nova.kit.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The PostgreSQL the tests use, from the same settings the services read (DB_HOST, DB_PORT,
 * DB_USER, DB_PASSWORD; the local defaults otherwise), so the whole suite runs against any
 * server a user points it at; and direct reads and writes of a test database, behind the
 * service's back ({@code ?} parameters bound in order; an SQL error is an IllegalStateException).
 */
public final class TestDatabase {

    private TestDatabase() {
    }

    public static String host() {
        return env("DB_HOST", "127.0.0.1");
    }

    public static String port() {
        return env("DB_PORT", "5432");
    }

    public static String user() {
        return env("DB_USER", "postgres");
    }

    public static String password() {
        return env("DB_PASSWORD", "");
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user(), password());
    }

    /** The first column of the first row as a number: {@code select count(*) ...}. */
    public static long count(String database, String sql, Object... args) {
        return query(database, sql, args, rs -> {
            rs.next();
            return rs.getLong(1);
        });
    }

    /** The first column of the first row as text; null when there is no row. */
    public static String text(String database, String sql, Object... args) {
        return query(database, sql, args, rs -> rs.next() ? rs.getString(1) : null);
    }

    /** Runs a statement. */
    public static void exec(String database, String sql, Object... args) {
        try (Connection c = connect(database); PreparedStatement ps = bind(c, sql, args)) {
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> T query(String database, String sql, Object[] args, Rows<T> rows) {
        try (Connection c = connect(database); PreparedStatement ps = bind(c, sql, args); ResultSet rs = ps.executeQuery()) {
            return rows.read(rs);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PreparedStatement bind(Connection c, String sql, Object[] args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
