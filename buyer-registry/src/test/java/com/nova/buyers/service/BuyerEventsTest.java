package com.nova.buyers.service;

import static com.nova.buyers.BuyerFixtures.admin;
import static com.nova.buyers.BuyerFixtures.create;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nova.buyers.BuyerRegistryTest;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Every change of a buyer reaches buyers.events (through the outbox), without any secret. */
@QuarkusTest
@BuyerRegistryTest
class BuyerEventsTest {

    @Inject
    RedisDataSource redis;

    @Inject
    ObjectMapper mapper;

    private List<JsonNode> eventsOf(String buyerId) {
        List<StreamMessage<String, String, String>> all = redis.stream(String.class)
                .xrange("buyers.events", StreamRange.of("-", "+"));
        return all.stream().map(m -> {
            try {
                return mapper.readTree(m.payload().get("envelope"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(e -> buyerId.equals(e.path("subject").asText())).collect(Collectors.toList());
    }

    @Test
    void eachChangeIsAnnouncedInOrder() {
        JsonPath created = create();
        String id = created.getString("id");
        admin().contentType(ContentType.JSON).body(Map.of("priority", 9)).patch("/v1/buyers/" + id).then().statusCode(200);
        String rotated = admin().post("/v1/buyers/" + id + "/webhook-secret/rotate").then().statusCode(200).extract()
                .path("webhookSecret");
        admin().contentType(ContentType.JSON)
                .body(Map.of("authConfig", Map.of("type", "bearer", "token", "abcdefghijklmnopqrstuvwxyz0123")))
                .put("/v1/buyers/" + id + "/credentials").then().statusCode(200);
        admin().post("/v1/buyers/" + id + "/deactivate").then().statusCode(200);

        List<String> expected = List.of("buyer.created", "buyer.changed", "buyer.webhook-secret-rotated",
                "buyer.credentials-rotated", "buyer.deactivated");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> eventsOf(id).size() == expected.size());
        List<JsonNode> events = eventsOf(id);
        assertEquals(expected, events.stream().map(e -> e.get("type").asText()).toList());
        JsonNode last = events.get(events.size() - 1);
        assertEquals("buyer-registry", last.get("source").asText());
        assertEquals("DEACTIVATED", last.at("/data/status").asText());
        assertEquals(1, last.get("version").asInt());
        for (JsonNode e : events) {
            String text = e.toString();
            assertFalse(text.contains(created.getString("webhookSecret")));
            assertFalse(text.contains(rotated));
            assertFalse(text.contains("abcdefghijklmnopqrstuvwxyz0123"));
        }
    }
}
