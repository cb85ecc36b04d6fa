/**
 * The service's decisions and workflows: no SQL and no HTTP here. Services open every write
 * transaction through the kit's {@code Transactions.inTransaction} (each with its time budget) and
 * hand the connection to {@code repository} classes; they answer domain outcomes, which the
 * {@code rest} layer turns into statuses and problems.
 */
package com.nova.auction.service;
