package com.nova.kit.probe;

import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Database calls through the service's pool, to see what a client gets when the pool runs dry. */
@Path("/probe/db")
@Produces(MediaType.APPLICATION_JSON)
public class ProbeDatabaseResource {

    private final Pool pool;

    public ProbeDatabaseResource(Pool pool) {
        this.pool = pool;
    }

    /** Holds one pooled connection for {@code ms} milliseconds. */
    @GET
    @Path("/hold")
    @PermitAll
    public Uni<Map<String, String>> hold(@QueryParam("ms") int ms) {
        return pool.preparedQuery("select pg_sleep($1::float8 / 1000)").execute(Tuple.of(ms))
                .map(rows -> Map.of("held", Integer.toString(ms)));
    }

    @GET
    @Path("/now")
    @PermitAll
    public Uni<Map<String, String>> now() {
        return pool.query("select now()::text").execute().map(rows -> Map.of("now", rows.iterator().next().getString(0)));
    }
}
