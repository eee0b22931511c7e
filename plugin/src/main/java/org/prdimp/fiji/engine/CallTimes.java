package org.prdimp.fiji.engine;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Always-on accounting of the time spent inside the network's exported methods: calls and
 * cumulative wall-clock nanoseconds, per method name. Recording costs two {@link System#nanoTime()}
 * reads and two counter increments per call (network calls take milliseconds). Safe to read from
 * any thread. On a GPU the time is the time of the call itself: kernels still running after it
 * returns are counted where their result is read.
 */
public final class CallTimes {
    /** Calls and nanoseconds of one method (or of all of them). */
    public static final class Entry {
        public final String method;
        public final long calls;
        public final long nanos;

        Entry(String method, long calls, long nanos) {
            this.method = method;
            this.calls = calls;
            this.nanos = nanos;
        }

        /** Milliseconds in all. */
        public double millis() {
            return nanos / 1e6;
        }

        /** This entry minus an earlier reading of the same method (null: nothing earlier). */
        public Entry since(Entry earlier) {
            return earlier == null ? this : new Entry(method, calls - earlier.calls, nanos - earlier.nanos);
        }
    }

    private static final class Counter {
        final LongAdder calls = new LongAdder();
        final LongAdder nanos = new LongAdder();
    }

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final LongAdder totalNanos = new LongAdder();
    private final LongAdder totalCalls = new LongAdder();

    void record(String method, long nanos) {
        Counter c = counters.computeIfAbsent(method, k -> new Counter());
        c.calls.increment();
        c.nanos.add(nanos);
        totalCalls.increment();
        totalNanos.add(nanos);
    }

    /** Nanoseconds inside network calls since the last reset, all methods together. */
    public long totalNanos() {
        return totalNanos.sum();
    }

    /** Network calls since the last reset, all methods together. */
    public long totalCalls() {
        return totalCalls.sum();
    }

    /** Per method name (sorted), the calls and time since the last reset. */
    public Map<String, Entry> snapshot() {
        Map<String, Entry> out = new TreeMap<>();
        counters.forEach((method, c) -> out.put(method, new Entry(method, c.calls.sum(), c.nanos.sum())));
        return Collections.unmodifiableMap(out);
    }

    /** Starts counting from zero. Calls in flight on other threads may land on either side. */
    public void reset() {
        counters.clear();
        totalNanos.reset();
        totalCalls.reset();
    }
}
