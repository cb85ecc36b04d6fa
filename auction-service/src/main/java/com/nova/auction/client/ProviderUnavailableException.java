package com.nova.auction.client;

/** A provider could not answer now (timeout, 408, 429, 5xx, refused connection): worth retrying. */
public class ProviderUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public ProviderUnavailableException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
