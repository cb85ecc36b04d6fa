package com.nova.auction.service;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Joining a read that several requests share (one registry read for every request waiting for
 * it). The read completes on the context of the request that started it; each joining request
 * goes on on its own Vert.x context, so its request id, trace and request scope stay its own.
 */
final class SharedReads {

    private SharedReads() {
    }

    static <T> Uni<T> join(Supplier<? extends CompletionStage<T>> shared) {
        return Uni.createFrom().deferred(() -> {
            Context caller = Vertx.currentContext();
            // A stage of its own: a request that gives up (cancelled) leaves the shared read to the others.
            Uni<T> answer = Uni.createFrom().completionStage(() -> shared.get().thenApply(value -> value));
            return caller == null ? answer : answer.emitOn(task -> caller.runOnContext(ignored -> task.run()));
        });
    }
}
