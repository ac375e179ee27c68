package io.otpcodes.store;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The threads of the reads a list makes at once (Scan segments, the lines of coarse buckets):
 * started at the first such list, not at a function's cold start, and shared by all lists.
 */
final class ParallelReads {

    /** Requests in flight at once: DynamoDB answers them side by side, so a pass takes about a quarter of the time. */
    static final int THREADS = 4;

    static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, r -> {
        Thread thread = new Thread(r, "otp-parallel-read");
        thread.setDaemon(true);
        return thread;
    });

    private ParallelReads() {
    }
}
