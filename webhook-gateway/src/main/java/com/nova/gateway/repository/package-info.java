/**
 * The gateway's SQL, and only here: one {@code <Thing>Repository} per table, on the reactive
 * PostgreSQL client ({@code io.vertx.mutiny.sqlclient.Pool}) with prepared statements. Each method
 * is one statement on its own (no Hibernate, no session, no transaction spanning calls); policy
 * such as recording before answering or what to do when a write fails stays in {@code service}.
 */
package com.nova.gateway.repository;
