package com.nova.kit.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.awaitility.Awaitility;

/**
 * A redis-server of a test's own on a port of its own, so the test can stop, kill and restart it
 * under a running service without touching the shared Redis.
 */
public final class PrivateRedis {

    private final int port;
    private final Path dir;
    private final boolean appendOnly;
    private Process process;

    public PrivateRedis(int port, boolean appendOnly) throws IOException {
        this.port = port;
        this.appendOnly = appendOnly;
        this.dir = Files.createTempDirectory("private-redis-" + port);
    }

    /** Starts (or restarts, on the same data directory) and waits until it accepts connections. */
    public PrivateRedis start() throws IOException {
        process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", appendOnly ? "yes" : "no", "--appendfsync", "always",
                "--dir", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(this::listening);
        return this;
    }

    /** SIGKILL: a crash, not a shutdown. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }

    public boolean listening() {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
