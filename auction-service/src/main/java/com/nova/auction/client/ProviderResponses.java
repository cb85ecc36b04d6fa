package com.nova.auction.client;

import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/** Sorts a third-party API's error answers into "retry later" and "final". */
public class ProviderResponses implements ResponseExceptionMapper<RuntimeException> {

    @Override
    public RuntimeException toThrowable(Response response) {
        int status = response.getStatus();
        if (retryable(status)) {
            return new ProviderUnavailableException(status, "provider answered " + status);
        }
        return new ProviderAnswerException(status, "provider answered " + status);
    }

    @Override
    public boolean handles(int status, jakarta.ws.rs.core.MultivaluedMap<String, Object> headers) {
        return status >= 400;
    }

    public static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }
}
