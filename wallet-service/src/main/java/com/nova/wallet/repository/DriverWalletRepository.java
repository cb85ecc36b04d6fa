package com.nova.wallet.repository;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.wallet.DriverWallet;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class DriverWalletRepository implements PanacheRepositoryBase<DriverWallet, String> {

    @WithSession
    public Uni<DriverWallet> findByDriver(String driverId) {
        return findById(driverId);
    }
}
