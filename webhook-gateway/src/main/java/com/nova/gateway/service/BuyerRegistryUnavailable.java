package com.nova.gateway.service;

/** buyer-registry did not answer, so a buyer's delivery cannot be checked now; the buyer should retry. */
public class BuyerRegistryUnavailable extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BuyerRegistryUnavailable(Throwable cause) {
        super("buyer-registry did not answer", cause, false, false);
    }
}
