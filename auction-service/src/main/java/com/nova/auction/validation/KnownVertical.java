package com.nova.auction.validation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import com.nova.auction.config.AuctionConfig;

/** One of the configured verticals ({@code auction.verticals}). Null is valid. */
@Documented
@Constraint(validatedBy = KnownVertical.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE_USE, ElementType.RECORD_COMPONENT })
@Retention(RetentionPolicy.RUNTIME)
public @interface KnownVertical {

    String message() default "must be a known vertical";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<KnownVertical, String> {

        // Looked up when first used: validators are created at build time, before runtime configuration exists.
        @Inject
        Instance<AuctionConfig> config;

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || config.get().verticals().contains(value);
        }
    }
}
