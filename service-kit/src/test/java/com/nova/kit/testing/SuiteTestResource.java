package com.nova.kit.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Prepares the real parts a service's tests run against: its test database on the local
 * PostgreSQL (created if missing) and a test signing key whose JWKS the service verifies with.
 * Init arg {@code database}: the database name.
 */
public class SuiteTestResource implements QuarkusTestResourceLifecycleManager {

    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
        if (database == null || !database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("SuiteTestResource needs a valid 'database' init arg");
        }
    }

    @Override
    public Map<String, String> start() {
        ensureDatabase(database);
        try {
            DevIdentity.ensureKeys(TestTokens.KEYS);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create the test signing key", e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("nova.db.name", database);
        config.put("mp.jwt.verify.publickey.location",
                TestTokens.KEYS.resolve("jwks.json").toAbsolutePath().toUri().toString());
        config.put("mp.jwt.verify.issuer", DevIdentity.DEFAULT_ISSUER);
        // Each service signs its service tokens with its own test key (its application.properties
        // names the file); verifiers trust each key for its service only.
        try {
            config.put("kit.service-token.trusted-keys", DevIdentity.trustedKeys(TestTokens.KEYS));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot read the test service key ids", e);
        }
        return config;
    }

    @Override
    public void stop() {
    }

    public static void ensureDatabase(String name) {
        try (Connection c = TestDatabase.connect("postgres")) {
            try (PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                exists.setString(1, name);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try {
                c.createStatement().execute("create database \"" + name + "\"");
            } catch (SQLException e) {
                if (!"42P04".equals(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + TestDatabase.host() + ":" + TestDatabase.port()
                    + " is not reachable: run deploy/local/test.sh, which starts or installs it", e);
        }
    }
}
