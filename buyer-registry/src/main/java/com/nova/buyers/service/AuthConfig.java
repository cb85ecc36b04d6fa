package com.nova.buyers.service;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * How buyer-registry's caller authenticates to a buyer's delivery endpoint. Stored only encrypted;
 * returned in clear only by the internal delivery endpoint.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = AuthConfig.Basic.class, name = "basic"),
        @JsonSubTypes.Type(value = AuthConfig.Bearer.class, name = "bearer"),
        @JsonSubTypes.Type(value = AuthConfig.Header.class, name = "header") })
public sealed interface AuthConfig {

    /** No control characters (header injection) in any credential. */
    String PRINTABLE = "[\\x20-\\x7E]+";

    String type();

    /** A hint safe to show: which kind, and at most the last four characters of the secret part. */
    String hint();

    record Basic(
            @NotBlank @Size(max = 200) @Pattern(regexp = "[\\x21-\\x39\\x3B-\\x7E]+", message = "must be printable, without spaces or ':'") String username,
            @NotBlank @Size(min = 8, max = 500) @Pattern(regexp = PRINTABLE, message = "must be printable ASCII") String password)
            implements AuthConfig {
        @Override
        public String type() {
            return "basic";
        }

        @Override
        public String hint() {
            return "basic " + username.substring(0, Math.min(2, username.length())) + "***:****";
        }
    }

    record Bearer(
            @NotBlank @Size(min = 16, max = 4096) @Pattern(regexp = "[A-Za-z0-9\\-._~+/]+=*", message = "must be a bearer token (RFC 6750 characters)") String token)
            implements AuthConfig {
        @Override
        public String type() {
            return "bearer";
        }

        @Override
        public String hint() {
            return "bearer " + lastFour(token);
        }
    }

    record Header(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9-]{1,64}", message = "must be a header name of letters, digits and '-'") String name,
            @NotBlank @Size(min = 8, max = 4096) @Pattern(regexp = PRINTABLE, message = "must be printable ASCII") String value)
            implements AuthConfig {
        @Override
        public String type() {
            return "header";
        }

        @Override
        public String hint() {
            return "header " + name + ": " + lastFour(value);
        }
    }

    /** Four characters of a secret are shown only when it is long enough that they give nothing away. */
    private static String lastFour(String secret) {
        return secret.length() >= 20 ? "****" + secret.substring(secret.length() - 4) : "****";
    }
}
