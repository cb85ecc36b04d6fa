package com.nova.kit.background;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.nova.kit.config.KitConfig;

import io.quarkus.logging.Log;

/**
 * Whether this instance runs a background worker, the one place every consumer, relay and scheduled
 * pass asks ({@code kit.background.enabled}, {@code kit.background.disabled}).
 */
@ApplicationScoped
public class BackgroundWork {

    public static final String OUTBOX_RELAY = "outbox-relay";
    public static final String STREAM_RETENTION = "stream-retention";

    private final boolean enabled;
    private final Set<String> disabled;

    public BackgroundWork(KitConfig config) {
        this.enabled = config.background().enabled();
        this.disabled = config.background().disabled().orElse(Set.of());
    }

    /** Whether the worker named {@code worker} runs here; says so in the log when it does not. */
    public boolean runs(String worker) {
        if (!enabled || disabled.contains(worker)) {
            Log.infof("Background worker %s is switched off by configuration (kit.background)", worker);
            return false;
        }
        return true;
    }
}
