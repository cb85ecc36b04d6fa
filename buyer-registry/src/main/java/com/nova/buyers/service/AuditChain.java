package com.nova.buyers.service;

import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.buyers.repository.AuditChainRepository;
import com.nova.buyers.service.BuyerViews.ChainVerification;

import io.smallrye.mutiny.Uni;

/**
 * Verifies the audit trail's hash chain (migration V2): every chained row must carry the hash of
 * the row before it and a hash of its own content. Reports the first row where either fails, so a
 * row edited, inserted or deleted behind the database's back is found. The head hash and row count
 * let operators anchor the chain elsewhere, which also reveals a truncated tail.
 */
@ApplicationScoped
public class AuditChain {

    private final AuditChainRepository chain;

    public AuditChain(AuditChainRepository chain) {
        this.chain = chain;
    }

    public Uni<ChainVerification> verify() {
        return chain.chainState().map(state -> new ChainVerification(state.firstBrokenId() == null, state.rows(),
                state.firstBrokenId(), state.problem(),
                state.headHash() == null ? null : HexFormat.of().formatHex(state.headHash())));
    }
}
