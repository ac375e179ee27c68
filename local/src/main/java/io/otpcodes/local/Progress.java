package io.otpcodes.local;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress of a long import on standard error: on a terminal one line rewritten in place
 * twice a second, elsewhere (a log, CI) a line every few seconds. Rows done, rate, and the time
 * left at that rate.
 */
final class Progress {

    private final PrintStream err;
    private final boolean terminal;
    private final long total;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final long started;
    private long lastPrinted;

    Progress(PrintStream err, boolean terminal, long total, long intervalMillis, LongSupplier clock) {
        this.err = err;
        this.terminal = terminal;
        this.total = total;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.clock = clock;
        this.started = clock.getAsLong();
        this.lastPrinted = started;
    }

    /** For the command line: a terminal when the JVM has a console. */
    static Progress of(PrintStream err, long total) {
        boolean terminal = System.console() != null;
        return new Progress(err, terminal, total, terminal ? 500 : 5_000, System::nanoTime);
    }

    /** Says where the import is, if it is time to. */
    synchronized void update(long done) {
        long now = clock.getAsLong();
        if (now - lastPrinted < intervalNanos) {
            return;
        }
        lastPrinted = now;
        String line = line(done, now);
        if (terminal) {
            err.print("\r" + line + "   ");
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Ends the in-place line, if any. */
    synchronized void finish() {
        if (terminal && lastPrinted != started) {
            err.println();
        }
    }

    String line(long done, long now) {
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        double rate = done / seconds;
        String left = rate <= 0 ? "?" : duration((total - done) / rate);
        return String.format(Locale.ROOT, "%,d of %,d rows (%.0f%%), %,.0f rows/s, about %s left", done, total,
                total == 0 ? 100.0 : 100.0 * done / total, rate, left);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
