/**
 * Buyer-registry's SQL, and only here: one {@code <Thing>Repository} per table or concern.
 * <p>
 * The entity repositories are Hibernate Reactive Panache repositories ({@code PanacheRepositoryBase})
 * annotated {@code @WithSession}: they join the session, and the transaction, that the calling
 * service opened with {@code @WithTransaction} or {@code Panache.withTransaction}, and never open a
 * transaction themselves. Queries Panache cannot express (arrays, {@code FOR UPDATE SKIP LOCKED})
 * are native queries on that same session. {@link com.nova.buyers.repository.AuditChainRepository}
 * reads the kit's {@code audit_log} table, which is no entity of this service, with the reactive
 * SQL pool instead.
 */
package com.nova.buyers.repository;
