package com.nova.auction.rest;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import com.nova.kit.audit.AuditEntry;
import com.nova.kit.audit.AuditFilter;
import com.nova.kit.audit.AuditPage;
import com.nova.kit.audit.AuditQuery;
import com.nova.kit.problem.ProblemException;
import com.nova.kit.security.Roles;
import com.nova.kit.text.Digests;

import io.smallrye.mutiny.Uni;

/**
 * The audit log viewer for admins in a browser (the kit's session cookie, or a bearer token):
 * filters by actor, action, target and time range, pages newest first. The page is rendered on
 * the server with every value HTML-escaped, carries no script at all, and its Content-Security-Policy
 * forbids any, so a stored payload cannot run even if escaping were ever missed.
 */
@Path("/admin/audit")
public class AuditPageResource {

    private static final String STYLE = """
            body{font:14px system-ui,sans-serif;margin:1.5rem;color:#1b1b1b}
            table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
            th{background:#f4f4f4}code{white-space:pre-wrap;word-break:break-all;font-size:12px}
            form{display:flex;flex-wrap:wrap;gap:.5rem;margin-bottom:1rem}label{display:flex;flex-direction:column;font-size:12px}
            .empty{color:#666}""";
    /** Allows the one inline style by its hash (a CSP source {@code 'sha256-<base64>'}), nothing else. */
    private static final String CSP = "default-src 'none'; style-src 'sha256-"
            + Base64.getEncoder().encodeToString(Digests.sha256(STYLE))
            + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final AuditQuery audit;

    public AuditPageResource(AuditQuery audit) {
        this.audit = audit;
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Produces(MediaType.TEXT_HTML)
    public Uni<RestResponse<String>> page(
            @QueryParam("actor") @Size(max = 200) String actor,
            @QueryParam("action") @Size(max = 100) String action,
            @QueryParam("target") @Size(max = 300) String target,
            @QueryParam("from") @Size(max = 40) String from,
            @QueryParam("to") @Size(max = 40) String to,
            @QueryParam("cursor") @Pattern(regexp = "[0-9]{1,18}", message = "must be a cursor returned by a previous page") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        AuditFilter filter = new AuditFilter();
        filter.actor = blankToNull(actor);
        filter.action = blankToNull(action);
        filter.target = blankToNull(target);
        filter.from = time("from", from);
        filter.to = time("to", to);
        filter.cursor = cursor;
        filter.limit = limit;
        return audit.list(filter).map(page -> RestResponse.ResponseBuilder.ok(render(filter, page, from, to), MediaType.TEXT_HTML_TYPE)
                .header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store")
                .build());
    }

    static String render(AuditFilter f, AuditPage page, String from, String to) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Audit log · auction-service</title><style>")
                .append(STYLE).append("</style></head><body><h1>Audit log</h1>");
        h.append("<form method=\"get\" action=\"/admin/audit\">");
        input(h, "actor", "Actor", f.actor);
        input(h, "action", "Action", f.action);
        input(h, "target", "Target", f.target);
        input(h, "from", "From (ISO-8601, e.g. 2026-11-01T00:00:00Z)", from);
        input(h, "to", "To (exclusive)", to);
        h.append("<label>Per page<input name=\"limit\" value=\"").append(f.limit).append("\" size=\"4\"></label>");
        h.append("<button type=\"submit\">Filter</button></form>");
        if (page.items().isEmpty()) {
            h.append("<p class=\"empty\" id=\"empty\">No audit entries match.</p>");
        } else {
            h.append("<table id=\"audit\"><thead><tr><th>When (UTC)</th><th>Actor</th><th>Action</th><th>Target</th><th>Request</th><th>Details</th></tr></thead><tbody>");
            for (AuditEntry e : page.items()) {
                h.append("<tr data-id=\"").append(e.id()).append("\">")
                        .append("<td class=\"when\">").append(esc(e.occurredAt().toString())).append("</td>")
                        .append("<td class=\"actor\">").append(esc(e.actor())).append("</td>")
                        .append("<td class=\"action\">").append(esc(e.action())).append("</td>")
                        .append("<td class=\"target\">").append(esc(e.target())).append("</td>")
                        .append("<td class=\"request\">").append(esc(e.requestId())).append("</td>")
                        .append("<td class=\"details\"><code>").append(esc(e.details() == null ? "" : e.details().toString()))
                        .append("</code></td></tr>");
            }
            h.append("</tbody></table>");
        }
        if (page.nextCursor() != null) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("actor", f.actor);
            q.put("action", f.action);
            q.put("target", f.target);
            q.put("from", from);
            q.put("to", to);
            q.put("limit", Integer.toString(f.limit));
            q.put("cursor", page.nextCursor());
            StringBuilder href = new StringBuilder("/admin/audit?");
            q.forEach((k, v) -> {
                if (v != null && !v.isBlank()) {
                    href.append(k).append('=').append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&');
                }
            });
            h.append("<p><a id=\"next\" href=\"").append(esc(href.substring(0, href.length() - 1))).append("\">Older entries</a></p>");
        }
        return h.append("</body></html>").toString();
    }

    private static void input(StringBuilder h, String name, String label, String value) {
        h.append("<label>").append(esc(label)).append("<input name=\"").append(name).append("\" value=\"")
                .append(esc(value == null ? "" : value)).append("\"></label>");
    }

    /** HTML-escapes text for element content and quoted attribute values. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static OffsetDateTime time(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be an ISO-8601 time with offset, such as 2026-11-01T00:00:00Z");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
