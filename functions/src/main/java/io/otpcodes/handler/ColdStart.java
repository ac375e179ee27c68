package io.otpcodes.handler;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When this execution environment began (the first handler class loaded, or a SnapStart restore)
 * and whether its first request has been served: that request reports the init duration, as
 * Powertools' ColdStart metric does. Priming's requests, which have no Lambda context, do not
 * count, so a snapshot keeps its cold start for the first real request after a restore.
 */
final class ColdStart {

    private static volatile long began = System.nanoTime();
    private static final AtomicBoolean PENDING = new AtomicBoolean(true);

    private ColdStart() {
    }

    /** Loads this class with the handler's, so that {@link #began} is the environment's start. */
    static void noteLoaded() {
        // the static initialiser did the work
    }

    /** A SnapStart restore: a new environment begins now, from the snapshot. */
    static void restored() {
        began = System.nanoTime();
        PENDING.set(true);
    }

    /** The milliseconds from the environment's start to now on its first request (once); -1 on any later one. */
    static long takeInitMillis() {
        return PENDING.compareAndSet(true, false) ? (System.nanoTime() - began) / 1_000_000 : -1;
    }
}
