package com.nova.gateway.service;

/**
 * A verified delivery that could not be stored for processing (Redis did not take it). Not the
 * sender's fault: the sender is asked to retry, and the retry is forwarded once.
 */
public class ForwardingUnavailable extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ForwardingUnavailable(Throwable cause) {
        super("The event could not be stored for processing", cause, false, false);
    }
}
