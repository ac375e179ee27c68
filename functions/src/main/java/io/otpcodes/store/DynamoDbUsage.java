package io.otpcodes.store;

import java.util.function.Supplier;

/**
 * What one request made DynamoDB do: the read and write units it reported, the calls and their
 * attempts (the SDK's retries of throttling and 5xx), the store's own retries of cancelled
 * transactions, and the attempts DynamoDB refused for a transaction conflict or for throughput. Counted by
 * {@link DynamoDbUsageInterceptor} on the thread that makes a call, into the usage that thread
 * {@linkplain #begin() began} (the store's parallel readers carry their caller's), so that two
 * requests served side by side in one JVM (the local runtime) are counted apart.
 */
public final class DynamoDbUsage {

    private static final ThreadLocal<DynamoDbUsage> CURRENT = new ThreadLocal<>();

    private double readUnits;
    private double writeUnits;
    private int calls;
    private int attempts;
    private int retries;
    private int conflicts;
    private int throttles;

    private DynamoDbUsage() {
    }

    /** Starts counting this thread's calls in a new usage, until {@link #end()}. */
    public static DynamoDbUsage begin() {
        DynamoDbUsage usage = new DynamoDbUsage();
        CURRENT.set(usage);
        return usage;
    }

    /** Stops counting this thread's calls; returns what they came to. */
    public Totals end() {
        if (CURRENT.get() == this) {
            CURRENT.remove();
        }
        return totals();
    }

    /** The usage this thread counts into, or null when no request began one (tools, priming). */
    static DynamoDbUsage current() {
        return CURRENT.get();
    }

    /** A task that counts into the calling thread's usage, wherever it runs. */
    static <T> Supplier<T> carried(Supplier<T> task) {
        DynamoDbUsage usage = CURRENT.get();
        if (usage == null) {
            return task;
        }
        return () -> {
            DynamoDbUsage before = CURRENT.get();
            CURRENT.set(usage);
            try {
                return task.get();
            } finally {
                if (before == null) {
                    CURRENT.remove();
                } else {
                    CURRENT.set(before);
                }
            }
        };
    }

    /** Counts a cancelled transaction the store sends again (a conflict or throttle it backed off from). */
    static void retriedTransaction() {
        DynamoDbUsage usage = CURRENT.get();
        if (usage != null) {
            usage.add(0, 0, 0, 0, 1, 0, 0);
        }
    }

    synchronized void add(double read, double write, int callCount, int attemptCount, int retryCount, int conflictCount,
            int throttleCount) {
        readUnits += read;
        writeUnits += write;
        calls += callCount;
        attempts += attemptCount;
        retries += retryCount;
        conflicts += conflictCount;
        throttles += throttleCount;
    }

    synchronized Totals totals() {
        // every attempt past a call's first is a retry of the SDK's
        return new Totals(readUnits, writeUnits, calls, retries + Math.max(0, attempts - calls), conflicts, throttles);
    }

    /** What a request's DynamoDB calls came to. */
    public record Totals(double readUnits, double writeUnits, int calls, int retries, int conflicts, int throttles) {
    }
}
