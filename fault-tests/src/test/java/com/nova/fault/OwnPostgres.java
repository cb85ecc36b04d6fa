package com.nova.fault;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the drill's own: initdb into a directory under target/, listening on
 * 127.0.0.1 at a port of its own (its socket in that directory too), trust authentication for the
 * postgres user. The shared server on 5432 is never touched. Started and stopped with pg_ctl, as
 * the postgres user when we are root (PostgreSQL refuses to run as root).
 */
final class OwnPostgres {

    private final Path dir;
    private final Path data;
    private final int port;
    private final Path bin;

    OwnPostgres(Path dir, int port) {
        this.dir = dir.toAbsolutePath();
        this.data = this.dir.resolve("data");
        this.port = port;
        this.bin = binaries();
    }

    int port() {
        return port;
    }

    /** A fresh cluster: a leftover one from an earlier run (its JVM killed) is stopped and removed first. */
    OwnPostgres init() throws Exception {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            run(Duration.ofSeconds(60), false, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop");
        }
        deleteTree(dir);
        Files.createDirectories(dir);
        chownToPostgres(dir);
        run(Duration.ofSeconds(120), true, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions");
        String conf = """

                # fault-tests: a cluster of the drill's own
                listen_addresses = '127.0.0.1'
                port = %d
                unix_socket_directories = '%s'
                max_connections = 300
                shared_buffers = 64MB
                log_destination = 'stderr'
                logging_collector = off
                """.formatted(port, dir);
        Files.writeString(data.resolve("postgresql.conf"), Files.readString(data.resolve("postgresql.conf")) + conf);
        return this;
    }

    /** Starts (or, after a crash, recovers and starts) the cluster and waits until it accepts connections. */
    void start() throws Exception {
        run(Duration.ofSeconds(180), true, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                dir.resolve("postgres.log").toString(), "-w", "-t", "170", "start");
    }

    /** {@code pg_ctl -m immediate stop}: every backend quits at once, no checkpoint; the next start runs crash recovery. */
    void crash() throws Exception {
        run(Duration.ofSeconds(60), true, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop");
    }

    void stop() {
        try {
            run(Duration.ofSeconds(60), false, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "stop");
        } catch (Exception e) {
            System.err.println("could not stop the drill's PostgreSQL: " + e);
        }
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), "postgres", "");
    }

    void createDatabase(String name) throws SQLException {
        try (Connection c = connect("postgres")) {
            c.createStatement().execute("create database " + name);
        }
    }

    private static Path binaries() {
        String configured = System.getProperty("fault.pg-bin");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                    .max(Comparator.comparingInt(v -> versionOf(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server binaries under " + root
                            + " (apt-get install postgresql, or -Dfault.pg-bin=DIR)"));
        } catch (IOException e) {
            throw new IllegalStateException("no PostgreSQL server binaries under " + root
                    + " (apt-get install postgresql, or -Dfault.pg-bin=DIR)", e);
        }
    }

    private static int versionOf(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void chownToPostgres(Path path) throws Exception {
        if (root()) {
            run(Duration.ofSeconds(30), true, "chown", "-R", "postgres:postgres", path.toString());
        }
    }

    /** Runs a PostgreSQL tool, as the postgres user when we are root. */
    private static void run(Duration timeout, boolean mustSucceed, String... command) throws Exception {
        List<String> full = new ArrayList<>();
        if (root() && !command[0].equals("chown")) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        File log = File.createTempFile("fault-pg", ".log");
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish within " + timeout);
            }
            if (mustSucceed && p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " exited " + p.exitValue() + ": "
                        + Files.readString(log.toPath()));
            }
        } finally {
            log.delete();
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
