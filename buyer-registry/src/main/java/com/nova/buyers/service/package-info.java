/**
 * Buyer-registry's use cases, between the REST resources ({@code rest}) and the repositories
 * ({@code repository}); it imports neither the REST layer nor SQL. The request and answer records
 * ({@link com.nova.buyers.service.BuyerRequests}, {@link com.nova.buyers.service.BuyerViews},
 * {@link com.nova.buyers.service.AuthConfig}) live here so the resources depend on the services and
 * never the other way round.
 * <p>
 * Persistence is Hibernate Reactive with Panache. A public service method that writes carries
 * {@code @WithTransaction}; a read carries {@code @WithSession}. When a method must do work outside
 * the transaction first (a DNS check on a worker thread) or after it commits (poking the outbox
 * relay), it opens the transaction explicitly with {@code Panache.withTransaction(() -> ...)}
 * around a private method rather than calling an annotated method of its own bean, so the boundary
 * does not depend on self-interception. Batches that each need their own transaction
 * ({@link com.nova.buyers.service.KeyRotationService}) use the same explicit form.
 */
package com.nova.buyers.service;
