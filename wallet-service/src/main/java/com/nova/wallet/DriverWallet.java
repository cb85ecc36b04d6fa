package com.nova.wallet;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * A driver's wallet. The balance is only ever changed by conditional SQL statements whose row
 * count is checked, never by writing this entity back.
 */
@Entity
@Table(name = "driver_wallets")
public class DriverWallet extends PanacheEntityBase {

    @Id
    @Column(name = "driver_id")
    public String driverId;

    @Column(name = "nova_balance", nullable = false, updatable = false, insertable = false)
    public long novaBalance;

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", insertable = false, updatable = false)
    public OffsetDateTime updatedAt;
}
