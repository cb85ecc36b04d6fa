package com.nova.buyers;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One webhook signing secret of a buyer, encrypted; current while {@code expiresAt} is null. */
@Entity
@Table(name = "buyer_webhook_secret")
public class WebhookSecret {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "buyer_id")
    public UUID buyerId;

    public byte[] ciphertext;

    @Column(name = "key_id")
    public Long keyId;

    /** Legacy plaintext secret from before encryption; cleared when the row is encrypted. */
    public String plaintext;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;
}
