package com.nova.wallet;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import com.nova.kit.testing.SuiteTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/**
 * The test resources of every {@code @QuarkusTest} of wallet-service: its test database on the
 * local PostgreSQL and the test signing keys ({@link SuiteTestResource}), and the driver app's
 * identity provider ({@link DevSignIn}). Every Quarkus test of
 * the module carries it next to {@code @QuarkusTest}, so all of them get the same set of resources
 * and share one running application per test profile (Quarkus restarts the application when the
 * set differs).
 *
 * <p>Test packages mirror the main ones: a test sits in the package of the main class it exercises
 * (the one it is named after, where there is one), a test of the HTTP API as a whole (access
 * rules, injection, webhooks) in {@code rest}, and what concerns the whole service (its contract,
 * shared fixtures and stubs, this annotation) at the module's root.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@QuarkusTestResource(value = SuiteTestResource.class, initArgs = @ResourceArg(name = "database", value = WalletFixtures.DB))
@QuarkusTestResource(DevSignIn.class)
public @interface WalletTest {
}
