package com.nova.kit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import com.nova.kit.testing.SuiteTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/**
 * The test resources of every {@code @QuarkusTest} of the kit's own test application: its test
 * database on the local PostgreSQL and the test signing keys ({@link SuiteTestResource}). Every
 * Quarkus test of the module carries it next to {@code @QuarkusTest}, so all of them get the same
 * set of resources and share one running application per test profile (Quarkus restarts the
 * application when the set differs).
 *
 * <p>Each test sits in the package of the kit class it exercises; what services' tests share is
 * in {@code com.nova.kit.testing}, the test-jar.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@QuarkusTestResource(value = SuiteTestResource.class, initArgs = @ResourceArg(name = "database", value = "kit_test"))
public @interface KitTest {
}
