package com.nova.auction.service;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nova.auction.client.ProviderAnswerException;
import com.nova.auction.client.RadarClient;
import com.nova.auction.client.TrustedFormClient;
import com.nova.auction.config.AuctionConfig;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * TrustedForm (the consumer's consent certificate matches this lead and is retained) and the ZIP
 * code (it exists and lies in the lead's state), checked in parallel. Provider errors that retrying
 * cannot fix reject the lead; outages (after the clients' retries and circuit breaker) answer
 * {@link Verdict.Kind#UNAVAILABLE}, which the configured policy turns into hold, reject or allow.
 */
@ApplicationScoped
public class ComplianceCheck {

    /** What we send to TrustedForm and what we decide from. */
    public record LeadFacts(String leadId, String certUrl, String email, String phone, String zip, String state) {
    }

    private record ZipAnswer(Optional<String> stateCode, Instant fetchedAt) {
    }

    static final String CERT_BASE = "https://cert.trustedform.com/";

    private final TrustedFormClient trustedForm;
    private final RadarClient radar;
    private final AuctionConfig.Compliance config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Cache<String, ZipAnswer> zips;

    public ComplianceCheck(@RestClient TrustedFormClient trustedForm, @RestClient RadarClient radar, AuctionConfig config,
            Clock clock, MeterRegistry metrics) {
        this.trustedForm = trustedForm;
        this.radar = radar;
        this.config = config.compliance();
        this.clock = clock;
        this.metrics = metrics;
        this.zips = Caffeine.newBuilder().maximumSize(this.config.radar().cacheSize()).build();
    }

    public Uni<Verdict> check(LeadFacts lead) {
        return Uni.combine().all().unis(trustedForm(lead), zip(lead.zip(), lead.state()))
                .with((tf, zip) -> tf.and(zip))
                .invoke(v -> metrics.counter("auction_compliance_verdicts_total", "verdict", v.kind().name(),
                        "reason", v.reason() == null ? "none" : v.reason()).increment());
    }

    Uni<Verdict> trustedForm(LeadFacts lead) {
        String certId = lead.certUrl().substring(CERT_BASE.length());
        String key = config.trustedform().apiKey().orElse("");
        String basic = "Basic " + Base64.getEncoder().encodeToString(("API:" + key).getBytes(StandardCharsets.UTF_8));
        var request = new TrustedFormClient.Request(new TrustedFormClient.MatchLead(lead.email(), lead.phone()),
                new TrustedFormClient.Retain(lead.leadId(), config.trustedform().vendor()));
        return trustedForm.runOperations(certId, basic, request)
                .map(answer -> answer.passed() ? Verdict.PASS
                        : Verdict.reject("success".equals(answer.outcome()) ? "trustedform-no-match" : "trustedform-failed"))
                .onFailure().recoverWithItem(e -> fromFailure("trustedform", e));
    }

    Uni<Verdict> zip(String zip, String state) {
        ZipAnswer cached = zips.getIfPresent(zip);
        Uni<Optional<String>> stateOfZip;
        if (cached != null && cached.fetchedAt().plus(config.radar().cacheTtl()).isAfter(clock.instant())) {
            stateOfZip = Uni.createFrom().item(cached.stateCode());
        } else {
            stateOfZip = radar.forward(zip, "postalCode", "US", config.radar().apiKey().orElse(""))
                    .map(answer -> answer.addresses() == null ? Optional.<String>empty()
                            : answer.addresses().stream()
                                    .filter(a -> zip.equals(a.postalCode()) && "US".equals(a.countryCode()) && a.stateCode() != null)
                                    .map(RadarClient.Address::stateCode).findFirst())
                    .invoke(found -> remember(zip, found));
        }
        return stateOfZip
                .map(found -> found.isEmpty() ? Verdict.reject("zip-unknown")
                        : found.get().equals(state) ? Verdict.PASS : Verdict.reject("zip-state-mismatch"))
                .onFailure().recoverWithItem(e -> fromFailure("zip", e));
    }

    private void remember(String zip, Optional<String> state) {
        zips.put(zip, new ZipAnswer(state, clock.instant()));
    }

    /** Forget cached ZIP answers (tests; an operator after a provider data fix). */
    public void clearZipCache() {
        zips.invalidateAll();
    }

    private static Verdict fromFailure(String provider, Throwable e) {
        if (e instanceof ProviderAnswerException answer) {
            int status = answer.status();
            if (provider.equals("trustedform") && (status == 404 || status == 410)) {
                return Verdict.reject("trustedform-certificate-expired-or-unknown");
            }
            if (status == 400 || status == 404 || status == 409 || status == 410 || status == 422) {
                return Verdict.reject(provider + "-refused");
            }
            // 401, 402, 403: our account or key, not the lead: an outage until an operator fixes it.
            Log.errorf("%s refused our credentials or account (HTTP %d): check its API key", provider, status);
            return Verdict.unavailable(provider + "-account-refused");
        }
        if (e instanceof CircuitBreakerOpenException) {
            return Verdict.unavailable(provider + "-circuit-open");
        }
        Log.warnf("%s did not answer: %s", provider, e.toString());
        return Verdict.unavailable(provider + "-unavailable");
    }
}
