/**
 * The gateway's intake: verify the raw bytes, normalize, forward, and record what was refused.
 * Services know nothing of HTTP statuses: a refusal fails with
 * {@link com.nova.gateway.service.Rejection}, a forwarding failure with
 * {@link com.nova.gateway.service.ForwardingUnavailable}, and the REST layer ({@code rest}) turns
 * them into problem answers.
 * <p>
 * Persistence: no ORM and no transactions. Refused deliveries go to PostgreSQL through the
 * reactive SQL client, in {@code repository} and nowhere else. Accepted deliveries go to Redis
 * Streams through one Lua script ({@link com.nova.gateway.service.Forwarder}, {@code forward.lua}),
 * so the duplicate check and the {@code XADD} are one atomic step; duplicate and rate-limit state
 * live in Redis as well.
 */
package com.nova.gateway.service;
