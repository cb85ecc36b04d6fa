package com.nova.kit.sql;

import io.vertx.mutiny.sqlclient.Tuple;

/** Optional filter clauses for listing queries, every value bound as a parameter, never spliced in. */
public final class Filters {

    private Filters() {
    }

    /** Appends {@code and <condition> $n} with the value bound, when a filter value is present. */
    public static void where(StringBuilder sql, Tuple args, String condition, Object value) {
        if (value != null) {
            args.addValue(value);
            sql.append(" and ").append(condition).append(" $").append(args.size());
        }
    }
}
