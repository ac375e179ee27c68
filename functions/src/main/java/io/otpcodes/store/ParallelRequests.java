package io.otpcodes.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The threads of the requests the store makes at once (Scan segments, the lines of coarse
 * buckets, the backfill's coarse buckets): started at the first such use, not at a function's
 * cold start, and shared by all.
 */
final class ParallelRequests {

    /** Requests in flight at once: DynamoDB answers them side by side, so a pass takes about a quarter of the time. */
    static final int THREADS = 4;

    private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, r -> {
        Thread thread = new Thread(r, "otp-parallel-request");
        thread.setDaemon(true);
        return thread;
    });

    private ParallelRequests() {
    }

    /** Runs every task on the pool and waits for all; the first failure is thrown as it was. */
    static <T> List<T> runAll(List<Supplier<T>> tasks) {
        List<CompletableFuture<T>> running = new ArrayList<>();
        for (Supplier<T> task : tasks) {
            running.add(CompletableFuture.supplyAsync(DynamoDbUsage.carried(task), POOL));
        }
        List<T> results = new ArrayList<>();
        try {
            for (CompletableFuture<T> task : running) {
                results.add(task.join());
            }
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return results;
    }
}
