package com.nova.buyers.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import com.nova.buyers.Buyer;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class BuyerRepository implements PanacheRepositoryBase<Buyer, UUID> {

    /** The buyer, its row locked until the transaction ends (changes that must not interleave). */
    public Uni<Buyer> findForUpdate(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** A page in registration order, after {@code afterSeq}. */
    public Uni<List<Buyer>> page(Buyer.Status status, String vertical, long afterSeq, int limit) {
        StringBuilder query = new StringBuilder("registrationSeq > :after");
        Parameters params = Parameters.with("after", afterSeq);
        if (status != null) {
            query.append(" and status = :status");
            params.and("status", status);
        }
        if (vertical != null) {
            query.append(" and array_contains(verticals, :vertical)");
            params.and("vertical", vertical);
        }
        return find(query.append(" order by registrationSeq").toString(), params).page(0, limit).list();
    }

    /**
     * Active buyers that take leads of this vertical, state and ZIP (each filter optional). Caps and
     * budgets are counted and reserved by auction-service, which owns the sales.
     */
    public Uni<List<Buyer>> eligible(String vertical, String state, String zip) {
        return getSession().chain(session -> session.createNativeQuery("""
                select * from buyer
                where status = 'ACTIVE'
                  and (cast(?1 as text) is null or cast(?1 as text) = any(verticals))
                  and (cast(?2 as text) is null or cast(?2 as text) = any(states))
                  and (cast(?3 as text) is null or cardinality(zip_prefixes) = 0
                       or exists (select 1 from unnest(zip_prefixes) p where starts_with(cast(?3 as text), p)))
                order by registration_seq
                """, Buyer.class)
                .setParameter(1, vertical)
                .setParameter(2, state)
                .setParameter(3, zip)
                .getResultList());
    }

    /**
     * Ids of buyers with a credential (delivery or ping) in plaintext or not under {@code primaryKeyId}, locked, passing
     * over rows another job holds and the {@code skip} rows this run could not read.
     */
    public Uni<List<UUID>> lockNeedingReencryption(long primaryKeyId, int limit, List<UUID> skip) {
        return getSession().chain(session -> session.createNativeQuery("""
                select id from buyer
                where (auth_plaintext is not null or auth_key_id is distinct from ?1
                       or (ping_auth_key_id is not null and ping_auth_key_id <> ?1))
                  and not (id = any(cast(?3 as uuid[])))
                order by id limit ?2 for update skip locked
                """, UUID.class)
                .setParameter(1, primaryKeyId)
                .setParameter(2, limit)
                .setParameter(3, skip.toArray(new UUID[0]))
                .getResultList());
    }

    /** Every buyer id ever registered (deactivated ones too: their returns still arrive). */
    public Uni<List<UUID>> allIds() {
        return getSession().chain(session -> session.createNativeQuery("select id from buyer order by registration_seq",
                UUID.class).getResultList());
    }

    public Uni<Long> countNeedingReencryption(long primaryKeyId) {
        return count("authPlaintext is not null or authKeyId is null or authKeyId <> ?1"
                + " or (pingAuthKeyId is not null and pingAuthKeyId <> ?1)", primaryKeyId);
    }
}
