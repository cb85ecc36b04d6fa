package com.nova.auction.rest;

import static com.nova.auction.AuctionFixtures.admin;
import static com.nova.auction.AuctionFixtures.connect;
import static com.nova.auction.AuctionFixtures.lead;
import static com.nova.auction.AuctionFixtures.submit;
import static com.nova.kit.testing.TestRequests.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.nova.auction.AuctionServiceTest;
import com.nova.auction.AuctionTestBase;
import com.nova.auction.ThirdParties;
import com.nova.auction.service.OutcomeService;
import com.nova.kit.events.EventEnvelope;

import io.quarkus.test.junit.QuarkusTest;

/** The revenue report: exact sums by day, buyer and vertical, returns netted, served by its index. */
@QuarkusTest
@AuctionServiceTest
class ReportTest extends AuctionTestBase {

    static final String A = "aaaaaaaa-0000-4000-8000-0000000000f1";
    static final String B = "bbbbbbbb-0000-4000-8000-0000000000f2";

    @Inject
    OutcomeService outcomes;

    private String sell(String vertical) {
        return submit("pub-1", lead("vertical", vertical)).then().statusCode(201).extract().path("id");
    }

    @Test
    void sumsAreExactPerDayBuyerAndVerticalAndReturnsNetOut() {
        // Days of their own, far from what other tests book today.
        clock.advance(Duration.ofDays(4000));
        LocalDate day1 = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        ThirdParties.buyer(A, 1, "10.01", 0, List.of("CA"), List.of(), null, null, null, "solar");
        ThirdParties.buyer(B, 2, "0.03", 0, List.of("CA"), List.of(), null, null, null, "roofing");
        sell("solar");                  // A 10.01 -> payout 7.01 (7.007 half-even), margin 3.00
        sell("solar");                  // A 10.01
        String roof = sell("roofing");  // B 0.03 -> payout 0.02 (0.021), margin 0.01
        clock.advance(Duration.ofDays(1));
        LocalDate day2 = day1.plusDays(1);
        sell("solar");                  // A 10.01 on day 2
        // Day 2: B returns its roofing lead of day 1; the reversal is booked on day 2.
        outcomes.apply(EventEnvelope.create("lead.returned", "buyer:" + B, "msg_" + UUID.randomUUID(), Instant.now(), roof,
                JsonNodeFactory.instance.objectNode().put("buyerId", B).put("leadId", roof).put("reason", "duplicate")))
                .await().indefinitely();

        String from = day1.toString();
        String to = day2.plusDays(1).toString();
        admin().queryParam("from", from).queryParam("to", to).queryParam("groupBy", "day").get("/v1/reports/revenue")
                .then().statusCode(200)
                .body("rows", hasSize(2))
                .body("rows[0].key", equalTo(from)).body("rows[0].sales", equalTo(3)).body("rows[0].returns", equalTo(0))
                .body("rows[0].price", equalTo("20.05")).body("rows[0].payout", equalTo("14.04")).body("rows[0].margin", equalTo("6.01"))
                .body("rows[1].key", equalTo(day2.toString())).body("rows[1].sales", equalTo(1)).body("rows[1].returns", equalTo(1))
                .body("rows[1].price", equalTo("9.98")).body("rows[1].payout", equalTo("6.99")).body("rows[1].margin", equalTo("2.99"))
                .body("totals.price", equalTo("30.03")).body("totals.payout", equalTo("21.03")).body("totals.margin", equalTo("9.00"));
        admin().queryParam("from", from).queryParam("to", to).queryParam("groupBy", "buyer").get("/v1/reports/revenue")
                .then().statusCode(200)
                .body("rows.find { it.key == '" + A + "' }.price", equalTo("30.03"))
                .body("rows.find { it.key == '" + B + "' }.price", equalTo("0.00"))
                .body("rows.find { it.key == '" + B + "' }.returns", equalTo(1));
        admin().queryParam("from", from).queryParam("to", to).queryParam("groupBy", "vertical").get("/v1/reports/revenue")
                .then().statusCode(200)
                .body("rows.key", equalTo(List.of("roofing", "solar")))
                .body("rows[1].payout", equalTo("21.03"));
        // Only day 2.
        admin().queryParam("from", day2.toString()).queryParam("to", to).get("/v1/reports/revenue")
                .then().statusCode(200).body("rows", hasSize(1)).body("totals.sales", equalTo(1));
    }

    @Test
    void theReportIsForAdminsAndItsParametersAreValidated() {
        as("pub-1", "publisher").queryParam("from", "2026-01-01").queryParam("to", "2026-02-01").get("/v1/reports/revenue")
                .then().statusCode(403);
        admin().queryParam("from", "2026-13-01").queryParam("to", "2026-02-01").get("/v1/reports/revenue")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", org.hamcrest.Matchers.hasItem(containsString("from")));
        admin().queryParam("from", "2026-02-01").queryParam("to", "2026-01-01").get("/v1/reports/revenue")
                .then().statusCode(400).contentType("application/problem+json");
        admin().queryParam("from", "2025-01-01").queryParam("to", "2026-06-01").get("/v1/reports/revenue")
                .then().statusCode(400).contentType("application/problem+json");
        admin().queryParam("from", "2026-01-01").queryParam("to", "2026-02-01").queryParam("groupBy", "buyer_id; drop table lead")
                .get("/v1/reports/revenue").then().statusCode(400).contentType("application/problem+json");
        admin().queryParam("to", "2026-02-01").get("/v1/reports/revenue").then().statusCode(400);
    }

    /**
     * The plans behind the report and the lookups, as an operator would check them: even on a
     * small table the planner can serve each from its index (sequential scans switched off only
     * to ask whether an index applies at all).
     */
    @Test
    void theReportAndTheLookupsAreServedByIndexes() throws Exception {
        try (var c = connect(); Statement s = c.createStatement()) {
            s.execute("vacuum analyze revenue_entry"); // the visibility map an index-only scan needs
            s.execute("set enable_seqscan = off");
            s.execute("set enable_bitmapscan = off");
            String report = plan(s, "select buyer_id, count(*), sum(price), sum(payout), sum(margin) from revenue_entry "
                    + "where booked_at >= now() - interval '7 days' and booked_at < now() group by 1");
            assertTrue(report.contains("Index Only Scan using revenue_entry_booked_idx"), report);
            String replay = plan(s, "select * from lead where publisher_id = 'pub-1' and idempotency_key = 'k'");
            assertTrue(replay.contains("Index Scan using lead_"), replay);
            String bids = plan(s, "select * from auction_bid where lead_id = '" + UUID.randomUUID() + "'");
            assertTrue(bids.contains("Index"), bids);
            String held = plan(s, "select id from lead where status = 'HELD' and next_check_at <= now() order by next_check_at limit 10");
            assertTrue(held.contains("Index"), held);
        }
    }

    private static String plan(Statement s, String sql) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (ResultSet rs = s.executeQuery("explain " + sql)) {
            while (rs.next()) {
                sb.append(rs.getString(1)).append('\n');
            }
        }
        return sb.toString();
    }
}
