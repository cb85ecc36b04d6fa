package com.nova.kit.audit;

import java.time.OffsetDateTime;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;

/** Filters and paging of the audit listing, bound from query parameters. */
public class AuditFilter {

    @QueryParam("actor")
    @Size(max = 200)
    public String actor;

    @QueryParam("action")
    @Size(max = 100)
    public String action;

    @QueryParam("target")
    @Size(max = 300)
    public String target;

    /** Inclusive lower bound, ISO-8601 with offset. */
    @QueryParam("from")
    public OffsetDateTime from;

    /** Exclusive upper bound, ISO-8601 with offset. */
    @QueryParam("to")
    public OffsetDateTime to;

    @QueryParam("cursor")
    @Pattern(regexp = "[0-9]{1,18}", message = "must be a cursor returned by a previous page")
    public String cursor;

    @QueryParam("limit")
    @DefaultValue("50")
    @Min(1)
    @Max(200)
    public int limit = 50;
}
