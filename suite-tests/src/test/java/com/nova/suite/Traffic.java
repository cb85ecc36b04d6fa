package com.nova.suite;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Requests flowing while a test changes something under them: {@code threads} loops each calling
 * {@code call} until {@link #close}, every outcome kept. A call that throws is kept as status -1
 * with the exception's text, so a broken connection counts as an outcome, not as a gap.
 */
final class Traffic implements AutoCloseable {

    /** One request: what was asked ({@code label}), with which key ({@code kid}), and its status. */
    record Outcome(long seq, long atMillis, String label, String kid, int status, String detail) {
    }

    interface Call {
        Outcome call(long seq) throws Exception;
    }

    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong seq = new AtomicLong();
    private final ExecutorService pool;
    private final long pauseMillis;

    private Traffic(int threads, long pauseMillis, Call call) {
        this.pauseMillis = pauseMillis;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "traffic");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < threads; i++) {
            pool.execute(() -> loop(call));
        }
    }

    /** Starts {@code threads} loops, each pausing {@code pauseMillis} between its calls. */
    static Traffic start(int threads, long pauseMillis, Call call) {
        return new Traffic(threads, pauseMillis, call);
    }

    private void loop(Call call) {
        while (running.get()) {
            long n = seq.incrementAndGet();
            try {
                Outcome o = call.call(n);
                if (o != null) {
                    outcomes.add(o);
                }
            } catch (Exception e) {
                outcomes.add(new Outcome(n, System.currentTimeMillis(), "error", null, -1, e.toString()));
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    long count(Predicate<Outcome> test) {
        return outcomes.stream().filter(test).count();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        pool.shutdown();
        if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
    }
}
