package com.nova.buyers.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while rows written before encryption existed may still hold plaintext. */
@Readiness
@ApplicationScoped
public class LegacyEncryptionCheck implements HealthCheck {

    private final KeyRotationService rotation;

    public LegacyEncryptionCheck(KeyRotationService rotation) {
        this.rotation = rotation;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("legacy-plaintext-encrypted").status(rotation.legacyEncrypted()).build();
    }
}
