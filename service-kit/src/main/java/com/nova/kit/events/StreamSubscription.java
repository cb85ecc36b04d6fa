package com.nova.kit.events;

/**
 * What a consumer reads: a stream, its consumer group, the handler applying each entry, and how
 * many entries one consumer handles at once. With 1 (the default) entries are applied one after
 * the other in stream order; more suits handlers that wait on slow remote parties and whose
 * entries are independent (auction-service's deliveries to buyers), at the price of ordering.
 */
public record StreamSubscription(String stream, String group, EventHandler handler, int concurrency) {

    public StreamSubscription {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
    }

    public StreamSubscription(String stream, String group, EventHandler handler) {
        this(stream, group, handler, 1);
    }

    public String deadLetterStream() {
        return stream + ".dlq";
    }
}
