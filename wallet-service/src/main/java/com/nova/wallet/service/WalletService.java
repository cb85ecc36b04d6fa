package com.nova.wallet.service;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.wallet.repository.DriverWalletRepository;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class WalletService {

    private final DriverWalletRepository wallets;

    public WalletService(DriverWalletRepository wallets) {
        this.wallets = wallets;
    }

    /** The driver's wallet; a driver who never earned has an empty one (nothing is created by reading). */
    @WithSpan
    public Uni<WalletView> wallet(String driverId) {
        return wallets.findByDriver(driverId)
                .map(w -> w == null ? new WalletView(driverId, 0) : new WalletView(w.driverId, w.novaBalance));
    }

    /** A wallet as its owner sees it. */
    public record WalletView(String driverId, long balance) {
    }
}
