/**
 * The service's decisions and workflows: no SQL and no HTTP here. Services open transactions on the
 * reactive pool ({@code Pool.withTransaction}) and hand the connection to {@code repository} classes;
 * they answer domain outcomes, which the {@code rest} layer turns into statuses and problems.
 */
package com.nova.auction.service;
