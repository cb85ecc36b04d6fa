package com.nova.wallet.rest;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** Request bodies of the wallet API; points are whole numbers, refused otherwise. */
public final class WalletRequests {

    static final String ID = com.nova.kit.events.Identifiers.DRIVER_ID;
    static final String ID_MESSAGE = "must be 1 to 128 letters, digits or . _ : -";

    private WalletRequests() {
    }

    public record Redemption(
            @NotBlank @Pattern(regexp = ID, message = ID_MESSAGE) String merchantId,
            @NotNull @Positive @Max(1_000_000_000) Long amount) {
    }

    public enum Direction {
        CREDIT, DEBIT
    }

    public record Adjustment(
            @NotNull Direction direction,
            @NotNull @Positive @Max(1_000_000_000) Long amount,
            @NotBlank @Size(max = 500) String reason) {
    }

    /** A hold for a charging session; {@code expiresIn} is an ISO 8601 duration (PT2H), the configured default when absent. */
    public record Hold(
            @NotBlank @Pattern(regexp = ID, message = ID_MESSAGE) String merchantId,
            @NotNull @Positive @Max(1_000_000_000) Long amount,
            @Size(max = 40) @Pattern(regexp = "P[0-9A-Z.]{1,39}", message = "must be an ISO 8601 duration such as PT2H") String expiresIn) {
    }

    /** What a session cost: at most what its hold reserved (0 spends nothing and releases all). */
    public record Capture(@NotNull @PositiveOrZero @Max(1_000_000_000) Long amount) {
    }

    public record Attribution(@NotBlank @Pattern(regexp = ID, message = ID_MESSAGE) String driverId) {
    }

    public record EarnRateChange(
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000") @Digits(integer = 6, fraction = 4) BigDecimal pointsPerUnit) {
    }
}
