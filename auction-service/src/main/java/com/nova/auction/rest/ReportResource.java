package com.nova.auction.rest;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.nova.auction.service.LeadQueries;
import com.nova.auction.service.LeadQueries.RevenueReport;
import com.nova.kit.problem.ProblemException;
import com.nova.kit.security.Roles;

import io.smallrye.mutiny.Uni;

/** Revenue for admins: exact sums of price, publisher payout and platform margin. */
@Path("/v1/reports")
@Produces(MediaType.APPLICATION_JSON)
public class ReportResource {

    static final String DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}";
    static final String DATE_MESSAGE = "must be a date such as 2026-11-01 (UTC)";

    private final LeadQueries queries;

    public ReportResource(LeadQueries queries) {
        this.queries = queries;
    }

    /** Revenue booked from {@code from} (inclusive) to {@code to} (exclusive), UTC days, at most 366 days. */
    @GET
    @Path("/revenue")
    @RolesAllowed(Roles.ADMIN)
    public Uni<RevenueReport> revenue(
            @QueryParam("from") @NotNull @Pattern(regexp = DATE, message = DATE_MESSAGE) String from,
            @QueryParam("to") @NotNull @Pattern(regexp = DATE, message = DATE_MESSAGE) String to,
            @QueryParam("groupBy") @DefaultValue("day") @Pattern(regexp = "day|buyer|vertical", message = "must be day, buyer or vertical") String groupBy) {
        LocalDate start = date("from", from);
        LocalDate end = date("to", to);
        if (!end.isAfter(start) || ChronoUnit.DAYS.between(start, end) > 366) {
            throw ProblemException.invalidField("to", "must be after from, at most 366 days later");
        }
        if (!LeadQueries.GROUPINGS.contains(groupBy)) {
            throw ProblemException.invalidField("groupBy", "must be day, buyer or vertical");
        }
        return queries.revenue(start, end, groupBy);
    }

    private static LocalDate date(String field, String value) {
        try {
            return LocalDate.parse(value);
        } catch (RuntimeException e) {
            throw ProblemException.invalidField(field, DATE_MESSAGE);
        }
    }
}
