package com.nova.buyers.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The audit trail's hash chain (migration V2) as the database recomputes it. A plain SQL query on
 * the reactive pool rather than a Panache repository: {@code audit_log} is the kit's table, not an
 * entity of this service, and the check is one read outside any transaction.
 */
@ApplicationScoped
public class AuditChainRepository {

    /**
     * One pass over the chained rows: how many there are, the newest row's hash, and the first row
     * (in chain order) whose previous hash or own content hash does not match, with which one failed.
     */
    public record ChainState(long rows, byte[] headHash, Long firstBrokenId, String problem) {
    }

    private final Pool pool;

    public AuditChainRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<ChainState> chainState() {
        return pool.query("""
                with chained as (
                    select id, chain_seq, prev_hash, hash,
                           lag(hash) over (order by chain_seq) as expected_prev,
                           audit_log_row_hash(prev_hash, a) as recomputed
                    from audit_log a where chain_seq is not null
                ),
                broken as (
                    select id, case when prev_hash is distinct from expected_prev then 'previous-hash-mismatch'
                                    else 'content-hash-mismatch' end as problem
                    from chained
                    where prev_hash is distinct from expected_prev or hash is distinct from recomputed
                    order by chain_seq limit 1
                )
                select (select count(*) from chained) as rows,
                       (select hash from chained order by chain_seq desc limit 1) as head,
                       (select id from broken) as broken_id,
                       (select problem from broken) as problem
                """).execute().map(rows -> {
                    Row row = rows.iterator().next();
                    var head = row.getBuffer("head");
                    return new ChainState(row.getLong("rows"), head == null ? null : head.getBytes(),
                            row.getLong("broken_id"), row.getString("problem"));
                });
    }
}
