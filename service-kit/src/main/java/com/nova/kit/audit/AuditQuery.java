package com.nova.kit.audit;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.nova.kit.sql.Filters;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads the audit trail with filters and keyset paging (newest first, stable under inserts). */
@ApplicationScoped
public class AuditQuery {

    private final Pool pool;
    private final ObjectMapper mapper;

    public AuditQuery(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    public Uni<AuditPage> list(AuditFilter filter) {
        StringBuilder sql = new StringBuilder(
                "select id, occurred_at, actor, action, target, request_id, details::text from audit_log where true");
        Tuple args = Tuple.tuple();
        Filters.where(sql, args, "actor =", filter.actor);
        Filters.where(sql, args, "action =", filter.action);
        Filters.where(sql, args, "target =", filter.target);
        Filters.where(sql, args, "occurred_at >=", filter.from);
        Filters.where(sql, args, "occurred_at <", filter.to);
        Filters.where(sql, args, "id <", filter.cursor == null ? null : Long.parseLong(filter.cursor));
        args.addInteger(filter.limit + 1);
        sql.append(" order by id desc limit $").append(args.size());
        return pool.preparedQuery(sql.toString()).execute(args).map(rows -> {
            List<AuditEntry> items = new ArrayList<>();
            for (Row row : rows) {
                items.add(new AuditEntry(row.getLong(0), row.getOffsetDateTime(1), row.getString(2), row.getString(3),
                        row.getString(4), row.getString(5), json(row.getString(6))));
            }
            String next = null;
            if (items.size() > filter.limit) {
                items = items.subList(0, filter.limit);
                next = Long.toString(items.get(items.size() - 1).id());
            }
            return new AuditPage(List.copyOf(items), next);
        });
    }


    private JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit_log.details is not JSON", e);
        }
    }
}
