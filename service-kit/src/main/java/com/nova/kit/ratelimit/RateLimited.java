package com.nova.kit.ratelimit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Puts an endpoint (or every endpoint of a resource) in a route class with its own limit. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface RateLimited {

    /** The route class, a key of {@code kit.rate-limit.classes}. */
    String value();
}
