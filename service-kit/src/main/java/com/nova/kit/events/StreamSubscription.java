package com.nova.kit.events;

/** What a consumer reads: a stream, its consumer group, and the handler applying each entry. */
public record StreamSubscription(String stream, String group, EventHandler handler) {

    public String deadLetterStream() {
        return stream + ".dlq";
    }
}
