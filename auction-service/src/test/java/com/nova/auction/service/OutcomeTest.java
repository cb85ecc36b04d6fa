package com.nova.auction.service;

import static com.nova.auction.AuctionFixtures.count;
import static com.nova.auction.AuctionFixtures.lead;
import static com.nova.auction.AuctionFixtures.submit;
import static com.nova.auction.AuctionFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nova.auction.AuctionServiceTest;
import com.nova.auction.AuctionTestBase;
import com.nova.auction.ThirdParties;
import com.nova.kit.events.EventContract;
import com.nova.kit.events.EventEnvelope;
import com.nova.kit.events.EventPublisher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Buyers' outcomes as webhook-gateway forwards them on {@code auction.events}: recorded once each,
 * a return reversing the sale's revenue to the cent, and outcomes that must change nothing refused
 * with a reason. Outcomes about leads the buyer never bought leave no row: they are seen in the
 * {@code auction_outcomes_total} counter.
 */
@QuarkusTest
@AuctionServiceTest
class OutcomeTest extends AuctionTestBase {

    static final String A = "aaaaaaaa-0000-4000-8000-0000000000e1";
    static final String B = "bbbbbbbb-0000-4000-8000-0000000000e2";
    static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    EventPublisher publisher;

    @Inject
    MeterRegistry meters;

    /** What webhook-gateway puts on the stream for a verified buyer webhook. */
    private String send(String buyer, String type, String leadId, String reason) {
        String messageId = "msg_" + UUID.randomUUID();
        send(buyer, type, leadId, reason, messageId);
        return messageId;
    }

    private void send(String buyer, String type, String leadId, String reason, String messageId) {
        send(buyer, type, leadId, reason, messageId, clock.instant());
    }

    /** As the gateway forwards it: stamped with the time it received the webhook. */
    private void send(String buyer, String type, String leadId, String reason, String messageId, Instant receivedAt) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("buyerId", buyer).put("leadId", leadId).put("messageId", messageId);
        if (reason != null) {
            data.put("reason", reason);
        }
        EventEnvelope envelope = EventEnvelope.create(type, "buyer:" + buyer, messageId, receivedAt, leadId, data)
                .withReceivedAt(receivedAt);
        publisher.publish(EventContract.Streams.AUCTION, envelope).await().indefinitely();
    }

    private static String outcome(String buyer, String messageId) {
        String key = "buyer:" + buyer + ":" + messageId;
        Awaitility.await().atMost(WAIT).until(() -> count("select count(*) from lead_outcome where source_event_id = ?", key) == 1);
        return text("select kind || '|' || applied || '|' || coalesce(refusal, '-') from lead_outcome where source_event_id = ?", key);
    }

    /** Refused outcomes of this kind and reason counted so far. */
    private double refusals(String kind, String refusal) {
        return meters.find("auction_outcomes_total").tags("kind", kind, "applied", "false", "refusal", refusal).counters()
                .stream().mapToDouble(Counter::count).sum();
    }

    /** Sends an outcome that must be refused without a trace in the tables, and waits until it was. */
    private void refusedWithoutRow(String buyer, String type, String leadId, String kind, String refusal) {
        refusedWithoutRow(buyer, type, leadId, kind, refusal, "msg_" + UUID.randomUUID());
    }

    private void refusedWithoutRow(String buyer, String type, String leadId, String kind, String refusal, String messageId) {
        double before = refusals(kind, refusal);
        send(buyer, type, leadId, "not theirs", messageId);
        Awaitility.await().atMost(WAIT).until(() -> refusals(kind, refusal) >= before + 1);
        assertEquals(0, count("select count(*) from lead_outcome where source_event_id = ?", "buyer:" + buyer + ":" + messageId));
    }

    private String sold(String buyer, String bid) {
        ThirdParties.buyer(buyer, 1, bid, 0, List.of("CA"), List.of(), null, null, null, "solar");
        return submit("pub-1", lead()).then().statusCode(201).extract().path("id");
    }

    @Test
    void acceptedRejectedAndConvertedAreRecordedAndAudited() {
        String id = sold(A, "20.00");
        assertEquals("ACCEPTED|true|-", outcome(A, send(A, "lead.accepted", id, null)));
        assertEquals("CONVERTED|true|-", outcome(A, send(A, "lead.converted", id, null)));
        assertEquals("REJECTED|true|-", outcome(A, send(A, "lead.rejected", id, "not interested")));
        assertEquals("SOLD", text("select status from lead where id = ?::uuid", id));
        assertEquals(1, count("select count(*) from revenue_entry where lead_id = ?::uuid", id), "only the sale");
        assertEquals(3, count("select count(*) from audit_log where target = ? and action like 'lead.outcome.%'", "lead:" + id));
    }

    @Test
    void aReturnReversesTheRevenueExactlyAndASecondReturnIsRefused() {
        String id = sold(A, "33.33");
        assertEquals("RETURNED|true|-", outcome(A, send(A, "lead.returned", id, "wrong number")));
        assertEquals("RETURNED", text("select status from lead where id = ?::uuid", id));
        assertEquals("-33.33|-23.33|-10.00", text(
                "select price || '|' || payout || '|' || margin from revenue_entry where lead_id = ?::uuid and kind = 'RETURN'", id));
        assertEquals("0.00|0.00|0.00", text(
                "select sum(price) || '|' || sum(payout) || '|' || sum(margin) from revenue_entry where lead_id = ?::uuid", id));

        assertEquals("RETURNED|false|already-returned", outcome(A, send(A, "lead.returned", id, "again")));
        assertEquals(2, count("select count(*) from revenue_entry where lead_id = ?::uuid", id));
        assertEquals(1, count("select count(*) from audit_log where target = ? and action = 'lead.outcome.refused'", "lead:" + id));
    }

    @Test
    void aReturnGivesTheCapAndBudgetBackOnceAndOnlyWhereTheSaleCounted() {
        // One lead a day and a 50.00 daily budget: after one 30.00 sale A can take no more today.
        ThirdParties.buyer(A, 1, "30.00", 0, List.of("CA"), List.of(), 1, 10, "50.00", "solar");
        String first = submit("pub-1", lead()).then().statusCode(201).extract().path("id");
        submit("pub-1", lead()).then().statusCode(201).body("status", org.hamcrest.Matchers.equalTo("UNSOLD"));
        assertEquals("1|30.00|1", usage(A));

        assertEquals("RETURNED|true|-", outcome(A, send(A, "lead.returned", first, "wrong number")));
        assertEquals("0|0.00|0", usage(A), "the return gave back the lead, its spend and its month's count");
        String second = submit("pub-1", lead()).then().statusCode(201).body("buyerId", org.hamcrest.Matchers.equalTo(A))
                .extract().path("id");
        assertEquals("1|30.00|1", usage(A));
        // The same return again (another message): refused, and nothing is given back twice.
        assertEquals("RETURNED|false|already-returned", outcome(A, send(A, "lead.returned", first, "again")));
        assertEquals("1|30.00|1", usage(A));

        // A day later: the counter is that day's, which the sale never counted in; the month gives back only if it is the same month.
        java.time.LocalDate soldOn = clock.instant().atZone(java.time.ZoneOffset.UTC).toLocalDate();
        clock.advance(Duration.ofDays(1));
        String third = submit("pub-1", lead()).then().statusCode(201).body("buyerId", org.hamcrest.Matchers.equalTo(A))
                .extract().path("id");
        assertEquals("1|30.00|" + (sameMonth(soldOn, 1) ? 2 : 1), usage(A));
        assertEquals("RETURNED|true|-", outcome(A, send(A, "lead.returned", second, "late but in the window")));
        assertEquals("1|30.00|1", usage(A), "the day is not the sale's; the month gives back only the sale's own count");
        assertEquals("SOLD", text("select status from lead where id = ?::uuid", third));
    }

    @Test
    void aBuyerThatKeepsItsCapsOnReturnsGetsNothingBack() {
        ThirdParties.buyer(B, 2, "30.00", 0, List.of("CA"), List.of(), 1, null, null, "solar").put("capsBackOnReturn", false);
        String id = submit("pub-1", lead()).then().statusCode(201).body("buyerId", org.hamcrest.Matchers.equalTo(B)).extract().path("id");
        assertEquals("RETURNED|true|-", outcome(B, send(B, "lead.returned", id, "wrong number")));
        assertEquals("1|30.00|1", usage(B));
        assertEquals("-30.00", text("select price::text from revenue_entry where lead_id = ?::uuid and kind = 'RETURN'", id));
        submit("pub-1", lead()).then().statusCode(201).body("status", org.hamcrest.Matchers.equalTo("UNSOLD"));
    }

    private String usage(String buyer) {
        java.time.LocalDate today = clock.instant().atZone(java.time.ZoneOffset.UTC).toLocalDate();
        return text("""
                select (case when day = ?::date then day_leads else 0 end) || '|' || (case when day = ?::date then day_spend else 0.00 end)
                       || '|' || (case when month = ?::date then month_leads else 0 end)
                from buyer_usage where buyer_id = ?::uuid""", today.toString(), today.toString(), today.withDayOfMonth(1).toString(), buyer);
    }

    private static boolean sameMonth(java.time.LocalDate day, int daysLater) {
        return day.plusDays(daysLater).withDayOfMonth(1).equals(day.withDayOfMonth(1));
    }

    @Test
    void theSameEventTwiceAppliesOnce() {
        String id = sold(A, "12.00");
        String messageId = "msg_" + UUID.randomUUID();
        send(A, "lead.returned", id, "duplicate call", messageId);
        send(A, "lead.returned", id, "duplicate call", messageId);
        assertEquals("RETURNED|true|-", outcome(A, messageId));
        // A later marker event proves the stream got past both copies.
        String marker = send(A, "lead.accepted", id, null);
        outcome(A, marker);
        assertEquals(2, count("select count(*) from revenue_entry where lead_id = ?::uuid", id));
        assertEquals(1, count("select count(*) from lead_outcome where lead_id = ?::uuid and kind = 'RETURNED'", id));
    }

    @Test
    void outcomesFromABuyerThatDidNotBuyOrForUnknownOrUnsoldLeadsChangeNothing() {
        String id = sold(A, "12.00");
        refusedWithoutRow(B, "lead.returned", id, "RETURNED", "not-the-buyer");
        assertEquals("SOLD", text("select status from lead where id = ?::uuid", id));
        assertEquals(1, count("select count(*) from revenue_entry where lead_id = ?::uuid", id));

        String unknown = UUID.randomUUID().toString();
        refusedWithoutRow(A, "lead.accepted", unknown, "ACCEPTED", "unknown-lead");

        ThirdParties.reset(); // no buyers: the next lead stays unsold
        eligible.invalidate();
        String unsold = submit("pub-1", lead()).then().statusCode(201).extract().path("id");
        refusedWithoutRow(A, "lead.returned", unsold, "RETURNED", "not-sold");
        assertEquals("UNSOLD", text("select status from lead where id = ?::uuid", unsold));
        assertEquals(0, count("select count(*) from revenue_entry where lead_id = ?::uuid", unsold));
    }

    @Test
    void twoBuyersMayUseTheSameMessageIdWithoutShadowingEachOther() {
        String id = sold(A, "12.00");
        String messageId = "msg_shared_" + UUID.randomUUID();
        refusedWithoutRow(B, "lead.accepted", id, "ACCEPTED", "not-the-buyer", messageId);
        send(A, "lead.accepted", id, null, messageId);
        assertEquals("ACCEPTED|true|-", outcome(A, messageId));
    }

    @Test
    void aReturnWithinTheWindowAppliesAndOneAfterItIsRefused() {
        String inTime = sold(A, "15.00");
        clock.advance(Duration.ofDays(29));
        assertEquals("RETURNED|true|-", outcome(A, send(A, "lead.returned", inTime, "bad phone")));
        assertEquals("RETURNED", text("select status from lead where id = ?::uuid", inTime));

        clock.reset();
        String late = sold(A, "15.00");
        clock.advance(Duration.ofDays(30).plusMinutes(1)); // auction.return-window: 30 days from the sale
        assertEquals("RETURNED|false|return-window-closed", outcome(A, send(A, "lead.returned", late, "too late")));
        assertEquals("SOLD", text("select status from lead where id = ?::uuid", late));
        assertEquals("15.00", text("select sum(price)::text from revenue_entry where lead_id = ?::uuid", late));
        assertEquals(1, count("select count(*) from audit_log where target = ? and action = 'lead.outcome.refused'", "lead:" + late));
    }

    @Test
    void theReturnWindowIsJudgedWhenTheGatewayReceivedTheReturnNotWhenItWasProcessed() {
        String id = sold(A, "18.00");
        Instant inTime = clock.instant().plus(Duration.ofDays(29));
        clock.advance(Duration.ofDays(31)); // the stream was behind: processed after the window
        String msg = "msg_" + UUID.randomUUID().toString().replace("-", "");
        send(A, "lead.returned", id, "wrong number", msg, inTime);
        assertEquals("RETURNED|true|-", outcome(A, msg));
    }

    @Test
    void aReturnAfterTheBuyerReportedAConversionIsRefused() {
        String id = sold(A, "25.00");
        assertEquals("CONVERTED|true|-", outcome(A, send(A, "lead.converted", id, null)));
        assertEquals("RETURNED|false|already-converted", outcome(A, send(A, "lead.returned", id, "changed my mind")));
        assertEquals("SOLD", text("select status from lead where id = ?::uuid", id));
        assertEquals(1, count("select count(*) from revenue_entry where lead_id = ?::uuid", id), "only the sale");
        assertEquals("25.00", text("select sum(price)::text from revenue_entry where lead_id = ?::uuid", id));
    }

    @Test
    void outcomesForLeadsTheBuyerNeverBoughtDoNotGrowAnyTable() {
        String ownLead = sold(A, "12.00");
        ThirdParties.reset();
        eligible.invalidate();
        String unsold = submit("pub-1", lead()).then().statusCode(201).extract().path("id");
        long outcomesBefore = count("select count(*) from lead_outcome");
        long auditBefore = count("select count(*) from audit_log");
        double refusedBefore = refusals("RETURNED", "not-the-buyer") + refusals("ACCEPTED", "unknown-lead")
                + refusals("RETURNED", "not-sold");
        int n = 300;
        for (int i = 0; i < n; i++) {
            switch (i % 3) {
                case 0 -> send(B, "lead.returned", ownLead, "not mine");
                case 1 -> send(B, "lead.accepted", UUID.randomUUID().toString(), null);
                default -> send(B, "lead.returned", unsold, null);
            }
        }
        // Outcomes apply in stream order: once the buyer's own next outcome is recorded, all of the above were handled.
        assertEquals("ACCEPTED|true|-", outcome(A, send(A, "lead.accepted", ownLead, null)));
        assertEquals(outcomesBefore + 1, count("select count(*) from lead_outcome"), "only the buyer's own outcome");
        assertEquals(auditBefore + 1, count("select count(*) from audit_log"), "only the buyer's own outcome");
        double refused = refusals("RETURNED", "not-the-buyer") + refusals("ACCEPTED", "unknown-lead")
                + refusals("RETURNED", "not-sold");
        assertTrue(refused >= refusedBefore + n, "every refusal is counted: " + (refused - refusedBefore));
        assertEquals("SOLD", text("select status from lead where id = ?::uuid", ownLead));
        assertEquals(1, count("select count(*) from revenue_entry where lead_id = ?::uuid", ownLead));
    }
}
