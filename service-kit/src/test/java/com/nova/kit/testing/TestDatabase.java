package com.nova.kit.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The PostgreSQL the tests use, from the same settings the services read (DB_HOST, DB_PORT,
 * DB_USER, DB_PASSWORD; the local defaults otherwise), so the whole suite runs against any
 * server a user points it at.
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

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
