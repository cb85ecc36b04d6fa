package com.nova.wallet.rest;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import com.nova.kit.problem.ProblemException;
import com.nova.kit.security.Ownership;
import com.nova.kit.security.Roles;
import com.nova.wallet.WalletViews.BalanceAt;
import com.nova.wallet.WalletViews.Statement;
import com.nova.wallet.WalletViews.StatementCursor;
import com.nova.wallet.service.StatementCsv;
import com.nova.wallet.service.WalletQueries;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * A wallet as of an instant, and statements over a range, both computed from the ledger's
 * entries, which never change. Times are RFC 3339 instants ({@code 2026-11-01T00:00:00Z}) or UTC
 * dates ({@code 2026-11-01}, its midnight). A statement covers at most 366 days and is paged;
 * {@code Accept: text/csv} gives the same page as CSV, the next page's address in a {@code Link}
 * header.
 */
@Path("/v1/wallets")
public class StatementResource {

    static final String CSV = "text/csv";
    private static final String TIME = "[0-9T:.+\\-Z]{10,40}";
    private static final String TIME_MESSAGE = "must be an RFC 3339 time (2026-11-01T00:00:00Z) or a date (2026-11-01)";
    private static final String CURSOR = "[0-9]{1,18}\\.[0-9]{1,18}";
    private static final String CURSOR_MESSAGE = "must be a cursor returned by a previous page";
    private static final Duration LONGEST = Duration.ofDays(366);

    private final WalletQueries queries;
    private final SecurityIdentity identity;

    public StatementResource(WalletQueries queries, SecurityIdentity identity) {
        this.queries = queries;
        this.identity = identity;
    }

    @GET
    @Path("/me/balance")
    @RolesAllowed(Roles.DRIVER)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<BalanceAt> myBalance(@QueryParam("at") @NotNull @Pattern(regexp = TIME, message = TIME_MESSAGE) String at) {
        return queries.balanceAt(Ownership.subject(identity), time("at", at));
    }

    @GET
    @Path(WalletResource.DRIVER + "/balance")
    @RolesAllowed(Roles.ADMIN)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<BalanceAt> balance(@PathParam("driverId") String driverId,
            @QueryParam("at") @NotNull @Pattern(regexp = TIME, message = TIME_MESSAGE) String at) {
        return queries.balanceAt(driverId, time("at", at));
    }

    @GET
    @Path("/me/statement")
    @RolesAllowed(Roles.DRIVER)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Statement> myStatement(@QueryParam("from") @NotNull @Pattern(regexp = TIME, message = TIME_MESSAGE) String from,
            @QueryParam("to") @NotNull @Pattern(regexp = TIME, message = TIME_MESSAGE) String to,
            @QueryParam("cursor") @Size(max = 40) @Pattern(regexp = CURSOR, message = CURSOR_MESSAGE) String cursor,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
            @QueryParam("order") @DefaultValue("oldest") @Pattern(regexp = "oldest|newest", message = "must be oldest or newest") String order) {
        return page(Ownership.subject(identity), from, to, cursor, limit, "newest".equals(order));
    }

    @GET
    @Path("/me/statement")
    @RolesAllowed(Roles.DRIVER)
    @Produces(CSV)
    public Uni<RestResponse<String>> myStatementCsv(@QueryParam("from") @NotNull @Pattern(regexp = TIME, message = TIME_MESSAGE) String from,
            @QueryParam("to") @NotNull @Pattern(regexp = TIME, message = TIME_MESSAGE) String to,
            @QueryParam("cursor") @Size(max = 40) @Pattern(regexp = CURSOR, message = CURSOR_MESSAGE) String cursor,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return page(Ownership.subject(identity), from, to, cursor, limit, false).map(s -> csv(s, "/v1/wallets/me/statement", limit));
    }

    @GET
    @Path(WalletResource.DRIVER + "/statement")
    @RolesAllowed(Roles.ADMIN)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Statement> statement(@PathParam("driverId") String driverId,
            @QueryParam("from") @NotNull @Pattern(regexp = TIME, message = TIME_MESSAGE) String from,
            @QueryParam("to") @NotNull @Pattern(regexp = TIME, message = TIME_MESSAGE) String to,
            @QueryParam("cursor") @Size(max = 40) @Pattern(regexp = CURSOR, message = CURSOR_MESSAGE) String cursor,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
            @QueryParam("order") @DefaultValue("oldest") @Pattern(regexp = "oldest|newest", message = "must be oldest or newest") String order) {
        return page(driverId, from, to, cursor, limit, "newest".equals(order));
    }

    @GET
    @Path(WalletResource.DRIVER + "/statement")
    @RolesAllowed(Roles.ADMIN)
    @Produces(CSV)
    public Uni<RestResponse<String>> statementCsv(@PathParam("driverId") String driverId,
            @QueryParam("from") @NotNull @Pattern(regexp = TIME, message = TIME_MESSAGE) String from,
            @QueryParam("to") @NotNull @Pattern(regexp = TIME, message = TIME_MESSAGE) String to,
            @QueryParam("cursor") @Size(max = 40) @Pattern(regexp = CURSOR, message = CURSOR_MESSAGE) String cursor,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return page(driverId, from, to, cursor, limit, false).map(s -> csv(s, "/v1/wallets/" + driverId + "/statement", limit));
    }

    private Uni<Statement> page(String driverId, String fromValue, String toValue, String cursor, int limit, boolean newestFirst) {
        OffsetDateTime from = time("from", fromValue);
        OffsetDateTime to = time("to", toValue);
        if (!to.isAfter(from) || Duration.between(from, to).compareTo(LONGEST) > 0) {
            throw ProblemException.invalidField("to", "must be after from, at most 366 days later");
        }
        StatementCursor after = null;
        if (cursor != null) {
            after = StatementCursor.decode(cursor);
            if (after == null) {
                throw ProblemException.invalidField("cursor", CURSOR_MESSAGE);
            }
        }
        return queries.statement(driverId, from, to, after, limit, newestFirst);
    }

    private static RestResponse<String> csv(Statement s, String path, int limit) {
        RestResponse.ResponseBuilder<String> response = RestResponse.ResponseBuilder.ok(StatementCsv.write(s), CSV + "; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"statement-" + s.from().toLocalDate() + "-" + s.to().toLocalDate() + ".csv\"");
        if (s.nextCursor() != null) {
            response.header("Link", "<" + path + "?from=" + s.from().toInstant() + "&to=" + s.to().toInstant() + "&cursor="
                    + s.nextCursor() + "&limit=" + limit + ">; rel=\"next\"");
        }
        return response.build();
    }

    private static OffsetDateTime time(String field, String value) {
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay().atOffset(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, TIME_MESSAGE);
        }
    }
}
