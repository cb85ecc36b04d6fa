package com.nova.fault;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A redis-server of the drill's own, on a port of its own, its data under target/: append-only
 * with an fsync per write (what deploy/k8s/README.md requires of production's Redis), no RDB
 * snapshots, so a restart after SIGKILL loads exactly the AOF. The shared Redis on 6379 is never
 * touched. {@code -Dfault.redis-appendonly=no} runs it without the AOF, to see the drill catch what
 * that loses.
 */
final class OwnRedis {

    private final Path dir;
    private final int port;
    private Process process;

    OwnRedis(Path dir, int port) {
        this.dir = dir.toAbsolutePath();
        this.port = port;
    }

    int port() {
        return port;
    }

    /** Starts it on its data directory (a restart replays the AOF there) and waits until it answers PING. */
    OwnRedis start() throws Exception {
        Files.createDirectories(dir);
        process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", System.getProperty("fault.redis-appendonly", "yes"), "--appendfsync", "always", "--dir", dir.toString(),
                "--protected-mode", "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                .start();
        Leftovers.remember(process);
        // Loading a large AOF takes a while; -LOADING answers until it is done.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited; see " + dir.resolve("redis.log"));
            }
            try (Resp r = new Resp(port)) {
                if ("PONG".equals(String.valueOf(r.call("PING")))) {
                    return this;
                }
            } catch (IOException | RuntimeException notYet) {
                // starting or loading
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("redis-server on " + port + " is not answering after 120 s");
    }

    /** SIGKILL: a crash, not a shutdown (no final AOF flush beyond what every write already fsynced). */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }

    boolean listening() {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    void stop() {
        if (process != null) {
            process.destroy();
        }
    }
}
