package com.nova.auction.service;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.databind.JsonNode;
import com.nova.auction.validation.KnownVertical;
import com.nova.kit.problem.ProblemException;
import com.nova.kit.validation.UsState;

/**
 * A ping: the anonymous part of a lead, priced before the publisher posts the lead. Anything that
 * identifies the consumer is refused by name: buyers bid on a ping without learning who it is, and
 * a publisher must not be able to leak a person through one.
 */
public record LeadPing(
        @NotBlank @Size(max = 50) @KnownVertical String vertical,
        @NotBlank @Pattern(regexp = "[0-9]{5}", message = "must be a 5-digit ZIP code") String zip,
        @NotBlank @UsState String state,
        JsonNode firstName, JsonNode lastName, JsonNode email, JsonNode phone, JsonNode address,
        JsonNode trustedFormCertUrl, JsonNode comments) {

    /** Refuses the first identifying field present (a 400 naming it). */
    public void refuseIdentifying() {
        Map<String, JsonNode> identifying = new LinkedHashMap<>();
        identifying.put("firstName", firstName);
        identifying.put("lastName", lastName);
        identifying.put("email", email);
        identifying.put("phone", phone);
        identifying.put("address", address);
        identifying.put("trustedFormCertUrl", trustedFormCertUrl);
        identifying.put("comments", comments);
        identifying.forEach((name, value) -> {
            if (value != null) {
                throw ProblemException.invalidField(name,
                        "identifies the consumer: a ping carries only vertical, zip and state; send it with the post");
            }
        });
    }
}
