package com.nova.fault;

/**
 * One fault of the drill: how it is injected, and how the drill ends it (the services must then
 * come back to ready by themselves; the drill only restarts what it killed, as an orchestrator would).
 * Specs: {@code redis-kill}, {@code postgres-crash}, {@code kill:<service>:<a|b>},
 * {@code partition-redis|partition-postgres|reset-redis|reset-postgres|drop-redis|drop-postgres:<service>:<a|b>}
 * (partition: nothing flows until healed; reset: connections reset and new ones refused until healed;
 * drop: every connection reset, again every 700 ms while the fault lasts, the server itself fine).
 */
record Fault(String name, Step inject, Step end) {

    /** A fault that repeats {@code step} every 700 ms until it ends. */
    static Fault repeating(String name, Runnable step) {
        java.util.concurrent.atomic.AtomicReference<Thread> repeater = new java.util.concurrent.atomic.AtomicReference<>();
        return new Fault(name, () -> {
            Thread t = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    step.run();
                    try {
                        Thread.sleep(700);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "fault-" + name);
            t.setDaemon(true);
            repeater.set(t);
            t.start();
        }, () -> {
            Thread t = repeater.getAndSet(null);
            if (t != null) {
                t.interrupt();
                t.join();
            }
        });
    }

    interface Step {
        void run() throws Exception;
    }

    static Fault of(String spec, Cluster cluster) {
        String[] p = spec.split(":");
        switch (p[0]) {
            case "redis-kill":
                return new Fault("Redis SIGKILL, restart from AOF", cluster.redis::kill, () -> cluster.redis.start());
            case "postgres-crash":
                return new Fault("PostgreSQL immediate stop, restart", cluster.postgres::crash, cluster.postgres::start);
            default:
                break;
        }
        if (p.length != 3) {
            throw new IllegalArgumentException("unknown fault " + spec);
        }
        Cluster.Instance i = cluster.instance(p[1], p[2]);
        return switch (p[0]) {
            case "kill" -> new Fault("SIGKILL " + i.id() + ", restart", i::kill, i::start);
            case "partition-redis" -> new Fault("partition " + i.id() + " | Redis", i.toRedis::partition, i.toRedis::heal);
            case "partition-postgres" -> new Fault("partition " + i.id() + " | PostgreSQL", i.toPostgres::partition,
                    i.toPostgres::heal);
            case "reset-redis" -> new Fault("reset+refuse " + i.id() + " | Redis", i.toRedis::reset, i.toRedis::heal);
            case "reset-postgres" -> new Fault("reset+refuse " + i.id() + " | PostgreSQL", i.toPostgres::reset, i.toPostgres::heal);
            case "drop-postgres" -> repeating("connections reset " + i.id() + " | PostgreSQL", i.toPostgres::dropConnections);
            case "drop-redis" -> repeating("connections reset " + i.id() + " | Redis", i.toRedis::dropConnections);
            default -> throw new IllegalArgumentException("unknown fault " + spec);
        };
    }
}
