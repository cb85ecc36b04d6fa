/**
 * Persistence: every SQL statement of the service lives here, written by hand against the reactive
 * Vert.x PostgreSQL client (no ORM, no Panache), each value bound and money as NUMERIC; a method
 * that takes a connection runs in the caller's transaction, so one transaction spans repositories.
 */
package com.nova.auction.repository;
