package com.nova.kit.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * Ready only once the database schema holds every migration this build ships. In
 * production the pods never migrate: a Job per release does (deploy/k8s), and a pod that starts
 * before the Job has finished stays out of the Service and holds the rolling update until it has.
 * Once current, it stays so: a later release migrating ahead (expand first) does not take this
 * version's pods out of service.
 */
@Readiness
@ApplicationScoped
public class SchemaCurrentCheck implements HealthCheck {

    private final Instance<Flyway> flyway;
    private volatile boolean current;

    public SchemaCurrentCheck(Instance<Flyway> flyway) {
        this.flyway = flyway;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder check = HealthCheckResponse.named("database-schema");
        if (current) {
            return check.up().build();
        }
        try {
            MigrationInfo[] pending = flyway.get().info().pending();
            if (pending.length == 0) {
                current = true;
                return check.up().build();
            }
            return check.down().withData("pendingMigrations", pending.length)
                    .withData("next", String.valueOf(pending[0].getVersion())).build();
        } catch (RuntimeException e) {
            return check.down().withData("reason", "the schema history cannot be read").build();
        }
    }
}
