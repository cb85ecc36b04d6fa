package com.nova.buyers.service;

import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.buyers.rest.BuyerViews.ChainVerification;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Verifies the audit trail's hash chain (migration V2): every chained row must carry the hash of
 * the row before it and a hash of its own content. Reports the first row where either fails, so a
 * row edited, inserted or deleted behind the database's back is found. The head hash and row count
 * let operators anchor the chain elsewhere, which also reveals a truncated tail.
 */
@ApplicationScoped
public class AuditChain {

    private final Pool pool;

    public AuditChain(Pool pool) {
        this.pool = pool;
    }

    public Uni<ChainVerification> verify() {
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
                    Long broken = row.getLong("broken_id");
                    var head = row.getBuffer("head");
                    return new ChainVerification(broken == null, row.getLong("rows"), broken, row.getString("problem"),
                            head == null ? null : HexFormat.of().formatHex(head.getBytes()));
                });
    }
}
