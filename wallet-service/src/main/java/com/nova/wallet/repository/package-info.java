/**
 * All of the wallet's SQL, on the reactive PostgreSQL client directly (no Hibernate in this
 * service): repositories take the connection of the transaction a service opened with
 * {@code pool.withTransaction}, or use the {@code Pool} for single reads.
 */
package com.nova.wallet.repository;
