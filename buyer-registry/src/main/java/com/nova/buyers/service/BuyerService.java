package com.nova.buyers.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.buyers.Buyer;
import com.nova.buyers.WebhookSecret;
import com.nova.buyers.repository.BuyerRepository;
import com.nova.buyers.repository.WebhookSecretRepository;
import com.nova.buyers.service.BuyerViews.BuyerView;
import com.nova.buyers.service.BuyerViews.EligibleBuyer;
import com.nova.buyers.service.BuyerViews.EligibleBuyers;
import com.nova.kit.audit.AuditTrail;
import com.nova.kit.events.EventContract;
import com.nova.kit.outbox.OutboxRelay;
import com.nova.kit.problem.ProblemException;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/** Buyers' lifecycle: onboarding, changes, deactivation, credential replacement; each audited and announced. */
@ApplicationScoped
public class BuyerService {

    /** Headers a custom credential header may not replace: they belong to the delivery protocol. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "content-type",
            "transfer-encoding", "connection", "idempotency-key", "x-request-id", "traceparent", "tracestate", "cookie",
            "expect", "upgrade", "te", "trailer", "keep-alive", "proxy-authorization");

    private final BuyerRepository buyers;
    private final WebhookSecretRepository secrets;
    private final CredentialStore credentials;
    private final DeliveryUrlPolicy urls;
    private final AuditTrail audit;
    private final BuyerEvents events;
    private final OutboxRelay relay;
    private final Clock clock;
    private final Vertx vertx;
    private final MeterRegistry metrics;

    public BuyerService(BuyerRepository buyers, WebhookSecretRepository secrets, CredentialStore credentials,
            DeliveryUrlPolicy urls, AuditTrail audit, BuyerEvents events, OutboxRelay relay, Clock clock, Vertx vertx,
            MeterRegistry metrics) {
        this.buyers = buyers;
        this.secrets = secrets;
        this.credentials = credentials;
        this.urls = urls;
        this.audit = audit;
        this.events = events;
        this.relay = relay;
        this.clock = clock;
        this.vertx = vertx;
        this.metrics = metrics;
    }

    /** Onboards a buyer; the answer carries its first webhook secret, the only time it is shown. */
    @WithSpan
    public Uni<BuyerView> create(BuyerRequests.Create request, String actor) {
        checkHeader(request.authConfig());
        checkCaps(request.caps());
        if ((request.pingUrl() == null) != (request.pingAuthConfig() == null)) {
            throw ProblemException.invalidField(request.pingUrl() == null ? "pingUrl" : "pingAuthConfig",
                    "is required with " + (request.pingUrl() == null ? "pingAuthConfig" : "pingUrl") + ": a live-bidding endpoint has its own credentials");
        }
        if (request.pingAuthConfig() != null) {
            checkHeader(request.pingAuthConfig(), "pingAuthConfig.name");
        }
        Uni<String> pingUrl = request.pingUrl() == null ? Uni.createFrom().nullItem() : checkedUrl(request.pingUrl(), "pingUrl");
        return checkedUrl(request.deliveryUrl())
                .chain(url -> pingUrl.chain(ping -> Panache.withTransaction(() -> createInTransaction(request, url, ping, actor))))
                .invoke(this::announced);
    }

    private Uni<BuyerView> createInTransaction(BuyerRequests.Create request, String url, String pingUrl, String actor) {
        OffsetDateTime now = now();
        Buyer buyer = new Buyer();
        buyer.id = UUID.randomUUID();
        buyer.name = request.name().trim();
        buyer.status = Buyer.Status.ACTIVE;
        buyer.verticals = distinct(request.verticals());
        buyer.states = distinct(request.states());
        buyer.zipPrefixes = request.zipPrefixes() == null ? new String[0] : distinct(request.zipPrefixes());
        buyer.bidAmount = money(request.bidAmount());
        buyer.sharedBidAmount = request.sharedBidAmount() == null ? null : money(request.sharedBidAmount());
        buyer.priority = request.priority() == null ? 0 : request.priority();
        buyer.dailyCap = request.caps() == null ? null : request.caps().daily();
        buyer.monthlyCap = request.caps() == null ? null : request.caps().monthly();
        buyer.dailyBudget = request.dailyBudget() == null ? null : money(request.dailyBudget());
        buyer.deliveryUrl = url;
        buyer.bidFloor = request.bidFloor() == null ? null : money(request.bidFloor());
        buyer.capsBackOnReturn = request.capsBackOnReturn() == null || request.capsBackOnReturn();
        buyer.acceptMode = request.acceptMode() == null ? "auto" : request.acceptMode();
        buyer.createdAt = now;
        buyer.updatedAt = now;
        credentials.sealAuthConfig(buyer, request.authConfig());
        if (pingUrl != null) {
            buyer.pingUrl = pingUrl;
            credentials.sealPingAuthConfig(buyer, request.pingAuthConfig());
        }
        String secret = CredentialStore.newWebhookSecret();
        WebhookSecret row = new WebhookSecret();
        row.buyerId = buyer.id;
        row.createdAt = now;
        credentials.sealWebhookSecret(row, secret);
        return buyers.persist(buyer)
                .chain(() -> secrets.persist(row))
                .chain(() -> buyers.flush())
                .chain(() -> audit.record(actor, "buyer.created", target(buyer), Map.of(
                        "name", buyer.name, "bidAmount", buyer.bidAmount.toPlainString(), "authType", buyer.authType)))
                .chain(() -> events.emit(EventContract.Types.BUYER_CREATED, buyer))
                .map(x -> {
                    metrics.counter("buyers_operations_total", "operation", "create").increment();
                    return BuyerView.of(buyer, secret);
                });
    }

    @WithSession
    public Uni<BuyerView> get(UUID id) {
        return find(id).map(BuyerView::of);
    }

    @WithSession
    public Uni<List<Buyer>> page(Buyer.Status status, String vertical, long afterSeq, int limit) {
        return buyers.page(status, vertical, afterSeq, limit);
    }

    @WithSpan
    public Uni<BuyerView> patch(UUID id, BuyerRequests.Patch patch, String actor) {
        if (patch.isEmpty()) {
            throw ProblemException.badRequest("empty-patch", "The request changes nothing: name at least one field");
        }
        if (patch.status() == Buyer.Status.DEACTIVATED) {
            throw ProblemException.invalidField("status",
                    "must be ACTIVE or PAUSED; deactivate with POST /v1/buyers/{id}/deactivate");
        }
        checkCaps(patch.caps());
        checkClears(patch);
        if (patch.pingAuthConfig() != null) {
            checkHeader(patch.pingAuthConfig(), "pingAuthConfig.name");
        }
        Uni<String> url = patch.deliveryUrl() == null ? Uni.createFrom().nullItem() : checkedUrl(patch.deliveryUrl());
        Uni<String> pingUrl = patch.pingUrl() == null ? Uni.createFrom().nullItem() : checkedUrl(patch.pingUrl(), "pingUrl");
        return url.chain(checked -> pingUrl.chain(ping -> Panache.withTransaction(() -> patchInTransaction(id, patch, checked, ping, actor))))
                .invoke(this::announced);
    }

    private Uni<BuyerView> patchInTransaction(UUID id, BuyerRequests.Patch patch, String url, String pingUrl, String actor) {
        return findForUpdate(id).chain(buyer -> {
            requireNotDeactivated(buyer);
            List<String> changed = new ArrayList<>();
            if (patch.name() != null) {
                buyer.name = patch.name().trim();
                changed.add("name");
            }
            if (patch.status() != null) {
                buyer.status = patch.status();
                changed.add("status");
            }
            if (patch.verticals() != null) {
                buyer.verticals = distinct(patch.verticals());
                changed.add("verticals");
            }
            if (patch.states() != null) {
                buyer.states = distinct(patch.states());
                changed.add("states");
            }
            if (patch.zipPrefixes() != null) {
                buyer.zipPrefixes = distinct(patch.zipPrefixes());
                changed.add("zipPrefixes");
            }
            if (patch.bidAmount() != null) {
                buyer.bidAmount = money(patch.bidAmount());
                changed.add("bidAmount");
            }
            if (patch.sharedBidAmount() != null) {
                buyer.sharedBidAmount = money(patch.sharedBidAmount());
                changed.add("sharedBidAmount");
            }
            if (patch.clears("sharedBidAmount") && buyer.sharedBidAmount != null) {
                buyer.sharedBidAmount = null;
                changed.add("sharedBidAmount");
            }
            if (patch.priority() != null) {
                buyer.priority = patch.priority();
                changed.add("priority");
            }
            if (patch.caps() != null) {
                buyer.dailyCap = patch.caps().daily();
                buyer.monthlyCap = patch.caps().monthly();
                changed.add("caps");
            }
            if (patch.dailyBudget() != null) {
                buyer.dailyBudget = money(patch.dailyBudget());
                changed.add("dailyBudget");
            }
            if (patch.clears("dailyBudget") && buyer.dailyBudget != null) {
                buyer.dailyBudget = null;
                changed.add("dailyBudget");
            }
            if (url != null) {
                buyer.deliveryUrl = url;
                changed.add("deliveryUrl");
            }
            if (pingUrl == null && patch.pingAuthConfig() != null && buyer.pingUrl == null) {
                throw ProblemException.invalidField("pingUrl", "is required with pingAuthConfig: the buyer has no live-bidding endpoint yet");
            }
            if (pingUrl != null && patch.pingAuthConfig() == null && buyer.pingUrl == null) {
                throw ProblemException.invalidField("pingAuthConfig", "is required with the buyer's first pingUrl");
            }
            if (pingUrl != null) {
                buyer.pingUrl = pingUrl;
                changed.add("pingUrl");
            }
            if (patch.pingAuthConfig() != null) {
                credentials.sealPingAuthConfig(buyer, patch.pingAuthConfig());
                changed.add("pingAuthConfig");
            }
            if (patch.clears("pingUrl") && buyer.pingUrl != null) {
                // The endpoint and its credentials go together (the table's check): the buyer bids statically again.
                buyer.pingUrl = null;
                credentials.forgetPingAuthConfig(buyer);
                changed.add("pingUrl");
                changed.add("pingAuthConfig");
            }
            if (patch.bidFloor() != null) {
                buyer.bidFloor = money(patch.bidFloor());
                changed.add("bidFloor");
            }
            if (patch.clears("bidFloor") && buyer.bidFloor != null) {
                buyer.bidFloor = null;
                changed.add("bidFloor");
            }
            if (patch.acceptMode() != null) {
                buyer.acceptMode = patch.acceptMode();
                changed.add("acceptMode");
            }
            if (patch.capsBackOnReturn() != null) {
                buyer.capsBackOnReturn = patch.capsBackOnReturn();
                changed.add("capsBackOnReturn");
            }
            if (changed.isEmpty()) {
                // Only clears of fields the buyer does not have: nothing to write, audit or announce.
                return Uni.createFrom().item(BuyerView.of(buyer));
            }
            buyer.updatedAt = now();
            return buyers.flush()
                    .chain(() -> audit.record(actor, "buyer.updated", target(buyer), Map.of("fields", changed)))
                    .chain(() -> events.emit(EventContract.Types.BUYER_CHANGED, buyer))
                    .map(x -> BuyerView.of(buyer));
        });
    }

    @WithSpan
    public Uni<BuyerView> deactivate(UUID id, String actor) {
        return Panache.withTransaction(() -> deactivateInTransaction(id, actor)).invoke(this::announced);
    }

    private Uni<BuyerView> deactivateInTransaction(UUID id, String actor) {
        return findForUpdate(id).chain(buyer -> {
            if (buyer.isDeactivated()) {
                return Uni.createFrom().item(BuyerView.of(buyer)); // idempotent: already done
            }
            buyer.status = Buyer.Status.DEACTIVATED;
            buyer.updatedAt = now();
            return buyers.flush()
                    .chain(() -> audit.record(actor, "buyer.deactivated", target(buyer), Map.of()))
                    .chain(() -> events.emit(EventContract.Types.BUYER_DEACTIVATED, buyer))
                    .map(x -> BuyerView.of(buyer));
        });
    }

    /** Credential rotation: the new authConfig replaces the old one, which is not kept. */
    @WithSpan
    public Uni<BuyerView> replaceCredentials(UUID id, AuthConfig auth, String actor) {
        checkHeader(auth);
        return Panache.withTransaction(() -> replaceCredentialsInTransaction(id, auth, actor)).invoke(this::announced);
    }

    private Uni<BuyerView> replaceCredentialsInTransaction(UUID id, AuthConfig auth, String actor) {
        return findForUpdate(id).chain(buyer -> {
            requireNotDeactivated(buyer);
            String previousType = buyer.authType;
            credentials.sealAuthConfig(buyer, auth);
            buyer.updatedAt = now();
            return buyers.flush()
                    .chain(() -> audit.record(actor, "buyer.credentials.replaced", target(buyer),
                            Map.of("previousType", previousType, "type", buyer.authType, "keyId", buyer.authKeyId)))
                    .chain(() -> events.emit(EventContract.Types.BUYER_CREDENTIALS_ROTATED, buyer))
                    .map(x -> {
                        metrics.counter("buyers_operations_total", "operation", "replace-credentials").increment();
                        return BuyerView.of(buyer);
                    });
        });
    }

    @WithSession
    public Uni<List<UUID>> allIds() {
        return buyers.allIds();
    }

    @WithSession
    public Uni<EligibleBuyers> eligible(String vertical, String state, String zip) {
        return buyers.eligible(vertical, state, zip)
                .map(list -> new EligibleBuyers(list.stream().map(EligibleBuyer::of).toList()));
    }

    Uni<Buyer> find(UUID id) {
        return buyers.findById(id).onItem().ifNull().failWith(() -> ProblemException.notFound("Buyer"));
    }

    Uni<Buyer> findForUpdate(UUID id) {
        return buyers.findForUpdate(id).onItem().ifNull().failWith(() -> ProblemException.notFound("Buyer"));
    }

    static String target(Buyer buyer) {
        return "buyer:" + buyer.id;
    }

    /** Now, at the database's precision (microseconds), so answers match what a later read returns. */
    OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /** Events of the committed change go out now rather than at the relay's next poll. */
    private void announced(Object ignored) {
        relay.poke();
    }

    private static void requireNotDeactivated(Buyer buyer) {
        if (buyer.isDeactivated()) {
            throw ProblemException.conflict("buyer-deactivated", "A deactivated buyer cannot be changed");
        }
    }

    /** DNS resolution blocks, so the check runs on a worker thread and the answer returns to this context. */
    private Uni<String> checkedUrl(String raw) {
        return checkedUrl(raw, "deliveryUrl");
    }

    /** A live-bidding endpoint is held to the delivery URL policy: it too is a buyer's address we call. */
    private Uni<String> checkedUrl(String raw, String field) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> urls.check(raw, field)));
    }

    private static void checkHeader(AuthConfig auth) {
        checkHeader(auth, "authConfig.name");
    }

    private static void checkHeader(AuthConfig auth, String field) {
        if (auth instanceof AuthConfig.Header header
                && RESERVED_HEADERS.contains(header.name().toLowerCase(java.util.Locale.ROOT))) {
            throw ProblemException.invalidField(field, "is a header the delivery protocol sets itself");
        }
    }

    private static void checkCaps(BuyerRequests.Caps caps) {
        if (caps != null && caps.daily() != null && caps.monthly() != null && caps.daily() > caps.monthly()) {
            throw ProblemException.invalidField("caps.daily", "must not exceed caps.monthly");
        }
    }

    /** A field is either set or cleared by one PATCH, not both (which would it mean?). */
    private static void checkClears(BuyerRequests.Patch patch) {
        if (patch.clear() == null) {
            return;
        }
        for (String field : patch.clear()) {
            boolean alsoSet = switch (field) {
                case "sharedBidAmount" -> patch.sharedBidAmount() != null;
                case "bidFloor" -> patch.bidFloor() != null;
                case "pingUrl" -> patch.pingUrl() != null || patch.pingAuthConfig() != null;
                case "dailyBudget" -> patch.dailyBudget() != null;
                default -> false;
            };
            if (alsoSet) {
                throw ProblemException.invalidField("clear", "names " + field + ", which this request also sets");
            }
        }
    }

    /** Two decimals exactly; validation already refused more, so this never rounds. */
    static BigDecimal money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.UNNECESSARY);
    }

    private static String[] distinct(List<String> values) {
        return new LinkedHashSet<>(values).toArray(new String[0]);
    }
}
