package com.nova.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * The processes a drill started (redis-server, the services, the stand-ins), by pid in
 * target/fault/pids, so a run whose JVM was killed before its shutdown hook leaves nothing running
 * into the next one: that one ends exactly those (a pid is only ended while it still runs the
 * command line it was recorded with), never anything by name.
 */
final class Leftovers {

    static final Path FILE = Path.of("target/fault-pids").toAbsolutePath();

    private Leftovers() {
    }

    static synchronized void remember(Process process) {
        try {
            String line = process.pid() + "\t" + process.info().commandLine().orElse("") + "\n";
            Files.writeString(FILE, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("cannot record pid " + process.pid() + ": " + e);
        }
    }

    /** Ends what an earlier run left running, then forgets it. */
    static synchronized void endEarlierRuns() throws IOException {
        if (!Files.exists(FILE)) {
            return;
        }
        List<String> lines = Files.readAllLines(FILE);
        for (String line : lines) {
            String[] parts = line.split("\t", 2);
            if (parts.length < 2 || parts[1].isBlank()) {
                continue;
            }
            long pid = Long.parseLong(parts[0]);
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isPresent() && handle.get().info().commandLine().orElse("").equals(parts[1])) {
                System.out.println("ending leftover process " + pid + " of an earlier drill: " + parts[1]);
                handle.get().destroyForcibly();
            }
        }
        Files.delete(FILE);
    }
}
