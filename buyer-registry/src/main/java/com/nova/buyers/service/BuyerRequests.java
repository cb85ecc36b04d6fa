package com.nova.buyers.service;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import com.nova.buyers.Buyer;
import com.nova.kit.validation.UsState;

/** What admins send to create and change buyers. Money is a decimal string or an exact JSON number. */
public final class BuyerRequests {

    public static final String VERTICAL = "[a-z][a-z0-9_-]{1,49}";
    public static final String ACCEPT_MODES = "auto|post-accept";
    /** The optional fields a PATCH can take away again (JSON null cannot say so: it reads as "not sent"). */
    public static final String CLEARABLE = "sharedBidAmount|bidFloor|pingUrl|dailyBudget";
    public static final String ACCEPT_MODES_MESSAGE = "must be auto or post-accept";
    public static final String VERTICAL_MESSAGE = "must be a vertical name of lowercase letters, digits, '-' or '_'";

    private BuyerRequests() {
    }

    /** Lead limits; null means unlimited. */
    public record Caps(@Positive @Max(10_000_000) Integer daily, @Positive @Max(100_000_000) Integer monthly) {
    }

    public record Create(
            @NotBlank @Size(max = 200) String name,
            @NotNull @Size(min = 1, max = 50) List<@NotNull @Pattern(regexp = VERTICAL, message = VERTICAL_MESSAGE) String> verticals,
            @NotNull @Size(min = 1, max = 60) List<@NotNull @UsState String> states,
            @Size(max = 1000) List<@NotNull @Pattern(regexp = "[0-9]{1,5}", message = "must be 1 to 5 digits") String> zipPrefixes,
            @NotNull @DecimalMin(value = "0", inclusive = false) @Digits(integer = 10, fraction = 2) BigDecimal bidAmount,
            /** The bid for a lead shared with other buyers; absent: exclusive leads only. */
            @DecimalMin(value = "0", inclusive = false) @Digits(integer = 10, fraction = 2) BigDecimal sharedBidAmount,
            @Min(0) @Max(1000) Integer priority,
            @Valid Caps caps,
            @DecimalMin(value = "0", inclusive = false) @Digits(integer = 10, fraction = 2) BigDecimal dailyBudget,
            @NotBlank @Size(max = 2048) String deliveryUrl,
            @NotNull @Valid AuthConfig authConfig,
            /** Live bidding: the endpoint answering pings, and its own credentials (both or neither). */
            @Size(min = 1, max = 2048) String pingUrl,
            @Valid AuthConfig pingAuthConfig,
            /** Live bids below this do not count. */
            @DecimalMin(value = "0", inclusive = false) @Digits(integer = 10, fraction = 2) BigDecimal bidFloor,
            /** Whether an accepted return gives back the cap and budget its sale used (default true). */
            Boolean capsBackOnReturn,
            /** {@code auto} (default) or {@code post-accept}: offered each lead first, the buyer's endpoint accepts or rejects it. */
            @Pattern(regexp = ACCEPT_MODES, message = ACCEPT_MODES_MESSAGE) String acceptMode) {
    }

    /** Only the fields present change; {@code status} may move between ACTIVE and PAUSED. */
    public record Patch(
            @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name,
            Buyer.Status status,
            @Size(min = 1, max = 50) List<@NotNull @Pattern(regexp = VERTICAL, message = VERTICAL_MESSAGE) String> verticals,
            @Size(min = 1, max = 60) List<@NotNull @UsState String> states,
            @Size(max = 1000) List<@NotNull @Pattern(regexp = "[0-9]{1,5}", message = "must be 1 to 5 digits") String> zipPrefixes,
            @DecimalMin(value = "0", inclusive = false) @Digits(integer = 10, fraction = 2) BigDecimal bidAmount,
            @DecimalMin(value = "0", inclusive = false) @Digits(integer = 10, fraction = 2) BigDecimal sharedBidAmount,
            @Min(0) @Max(1000) Integer priority,
            @Valid Caps caps,
            @DecimalMin(value = "0", inclusive = false) @Digits(integer = 10, fraction = 2) BigDecimal dailyBudget,
            @Size(min = 1, max = 2048) String deliveryUrl,
            /** Sets or moves the live-bidding endpoint; with new credentials, or keeping the ones it has. */
            @Size(min = 1, max = 2048) String pingUrl,
            @Valid AuthConfig pingAuthConfig,
            @DecimalMin(value = "0", inclusive = false) @Digits(integer = 10, fraction = 2) BigDecimal bidFloor,
            Boolean capsBackOnReturn,
            @Pattern(regexp = ACCEPT_MODES, message = ACCEPT_MODES_MESSAGE) String acceptMode,
            /** Fields to remove: no shared bid (exclusive only), no floor, no live-bidding endpoint (and its credentials), no budget. */
            @Size(max = 4) List<@NotNull @Pattern(regexp = CLEARABLE, message = "must be one of " + CLEARABLE) String> clear) {

        public boolean isEmpty() {
            return name == null && status == null && verticals == null && states == null && zipPrefixes == null
                    && bidAmount == null && sharedBidAmount == null && priority == null && caps == null && dailyBudget == null && deliveryUrl == null
                    && pingUrl == null && pingAuthConfig == null && bidFloor == null && capsBackOnReturn == null && acceptMode == null
                    && (clear == null || clear.isEmpty());
        }

        public boolean clears(String field) {
            return clear != null && clear.contains(field);
        }
    }

    public record ReplaceCredentials(@NotNull @Valid AuthConfig authConfig) {
    }
}
