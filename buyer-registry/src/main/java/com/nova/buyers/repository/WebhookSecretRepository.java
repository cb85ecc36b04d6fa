package com.nova.buyers.repository;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.buyers.WebhookSecret;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class WebhookSecretRepository implements PanacheRepositoryBase<WebhookSecret, Long> {

    /** Secrets that verify at {@code now}: the current one and any still in their grace period, newest first. */
    public Uni<List<WebhookSecret>> validAt(UUID buyerId, OffsetDateTime now) {
        return list("buyerId = :buyer and (expiresAt is null or expiresAt > :now) order by createdAt desc, id desc",
                Parameters.with("buyer", buyerId).and("now", now));
    }

    /** Starts the grace period of the current secret; secrets already expiring keep their earlier end. */
    public Uni<Integer> expireCurrent(UUID buyerId, OffsetDateTime until) {
        return update("expiresAt = :until where buyerId = :buyer and expiresAt is null",
                Parameters.with("until", until).and("buyer", buyerId));
    }

    /** Retires at once every previous secret beyond the newest {@code keep} that are still in their grace period. */
    public Uni<Integer> retireBeyond(UUID buyerId, int keep) {
        return getSession().chain(session -> session.createNativeQuery("""
                delete from buyer_webhook_secret where id in (
                    select id from buyer_webhook_secret where buyer_id = ?1 and expires_at is not null
                    order by created_at desc, id desc offset ?2)
                """).setParameter(1, buyerId).setParameter(2, keep).executeUpdate());
    }

    /** Secrets that no longer verify are not worth keeping, even encrypted. */
    public Uni<Long> deleteExpired(UUID buyerId, OffsetDateTime now) {
        return delete("buyerId = :buyer and expiresAt <= :now", Parameters.with("buyer", buyerId).and("now", now));
    }

    public Uni<List<Long>> lockNeedingReencryption(long primaryKeyId, int limit, List<Long> skip) {
        return getSession().chain(session -> session.createNativeQuery("""
                select id from buyer_webhook_secret
                where (plaintext is not null or key_id is distinct from ?1)
                  and not (id = any(cast(?3 as bigint[])))
                order by id limit ?2 for update skip locked
                """, Long.class)
                .setParameter(1, primaryKeyId)
                .setParameter(2, limit)
                .setParameter(3, skip.toArray(new Long[0]))
                .getResultList());
    }

    public Uni<Long> countNeedingReencryption(long primaryKeyId) {
        return count("plaintext is not null or keyId is null or keyId <> ?1", primaryKeyId);
    }
}
