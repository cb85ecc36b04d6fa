package com.nova.auction.client;

/** A provider answered with a final 4xx (not found, gone, refused): retrying will not change it. */
public class ProviderAnswerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public ProviderAnswerException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
