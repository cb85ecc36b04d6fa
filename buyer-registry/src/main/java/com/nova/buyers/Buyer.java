package com.nova.buyers;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.Generated;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A lead buyer: what it bids for, how much, its limits, and where its leads are delivered. */
@Entity
@Table(name = "buyer")
public class Buyer {

    public enum Status {
        ACTIVE, PAUSED, DEACTIVATED
    }

    @Id
    public UUID id;

    @Generated
    @Column(name = "registration_seq", insertable = false, updatable = false)
    public Long registrationSeq;

    public String name;

    @Enumerated(EnumType.STRING)
    public Status status;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public String[] verticals;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public String[] states;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "zip_prefixes", columnDefinition = "text[]")
    public String[] zipPrefixes;

    @Column(name = "bid_amount", precision = 12, scale = 2)
    public BigDecimal bidAmount;

    /** What the buyer bids for a shared lead; null when it buys exclusive leads only. */
    @Column(name = "shared_bid_amount", precision = 12, scale = 2)
    public BigDecimal sharedBidAmount;

    public int priority;

    @Column(name = "daily_cap")
    public Integer dailyCap;

    @Column(name = "monthly_cap")
    public Integer monthlyCap;

    @Column(name = "daily_budget", precision = 12, scale = 2)
    public BigDecimal dailyBudget;

    @Column(name = "delivery_url")
    public String deliveryUrl;

    @Column(name = "auth_type")
    public String authType;

    @Column(name = "auth_hint")
    public String authHint;

    @Column(name = "auth_ciphertext")
    public byte[] authCiphertext;

    @Column(name = "auth_key_id")
    public Long authKeyId;

    /** Legacy plaintext credentials from before encryption; cleared when the row is encrypted. */
    @Column(name = "auth_plaintext")
    public String authPlaintext;

    /** The live-bidding endpoint (ping/post); null when the buyer bids its static amount only. */
    @Column(name = "ping_url")
    public String pingUrl;

    @Column(name = "ping_auth_type")
    public String pingAuthType;

    @Column(name = "ping_auth_hint")
    public String pingAuthHint;

    @Column(name = "ping_auth_ciphertext")
    public byte[] pingAuthCiphertext;

    @Column(name = "ping_auth_key_id")
    public Long pingAuthKeyId;

    /** Live bids below this do not count; null: any positive bid does. */
    @Column(name = "bid_floor", precision = 12, scale = 2)
    public BigDecimal bidFloor;

    /** {@code auto} (a won lead is the buyer's) or {@code post-accept} (offered first, the buyer accepts or rejects it). */
    @Column(name = "accept_mode")
    public String acceptMode = "auto";

    /** A return accepted in the window gives back the cap and budget its sale used. */
    @Column(name = "caps_back_on_return")
    public boolean capsBackOnReturn = true;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    @Version
    public long version;

    public boolean isDeactivated() {
        return status == Status.DEACTIVATED;
    }
}
