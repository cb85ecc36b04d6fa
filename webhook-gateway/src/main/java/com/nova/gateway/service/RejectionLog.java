package com.nova.gateway.service;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.gateway.repository.RejectionRepository.Entry;
import com.nova.gateway.repository.RejectionRepository;
import com.nova.kit.requestid.RequestIds;
import com.nova.kit.text.Digests;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/** Records refused deliveries in the gateway database and lists them for admins. */
@ApplicationScoped
public class RejectionLog {

    public record Page(List<Entry> items, String nextCursor) {
    }

    private final RejectionRepository repository;

    public RejectionLog(RejectionRepository repository) {
        this.repository = repository;
    }

    /**
     * Records a rejection before the sender is answered. If the database cannot take it, the
     * delivery is refused all the same and the loss is logged (never the body).
     */
    public Uni<Void> record(String provider, Rejection rejection, String buyerId, String clientIp, byte[] body) {
        return repository.insert(provider, rejection.reason().code, rejection.eventId(), buyerId, clientIp,
                RequestIds.current(), body == null ? null : Digests.sha256Hex(body), body == null ? null : (long) body.length)
                .onFailure().recoverWithItem(e -> {
                    Log.errorf("Could not record a rejected %s delivery (%s): %s", provider, rejection.reason().code,
                            e.getMessage());
                    return null;
                });
    }

    /** A page of records, newest first; {@code nextCursor} is set when more follow. */
    public Uni<Page> list(String provider, String reason, OffsetDateTime from, OffsetDateTime to, Long before, int limit) {
        return repository.list(provider, reason, from, to, before, limit + 1).map(found -> {
            List<Entry> items = found;
            String next = null;
            if (items.size() > limit) {
                items = items.subList(0, limit);
                next = Long.toString(items.get(items.size() - 1).id());
            }
            return new Page(List.copyOf(items), next);
        });
    }
}
