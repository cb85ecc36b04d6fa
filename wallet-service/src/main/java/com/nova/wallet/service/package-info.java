/**
 * The wallet's behaviour. Services own the transactions ({@code pool.withTransaction} on the
 * reactive PostgreSQL client, no Hibernate in this service) and pass its connection to the
 * repositories, which hold all the SQL; no HTTP statuses or REST types here.
 */
package com.nova.wallet.service;
