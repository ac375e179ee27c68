package io.otpcodes.local;

import io.otpcodes.domain.OtpCode;
import io.otpcodes.store.CodeImporter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code import codes FILE}: the old service's codes, as they were. Two passes over the file,
 * which is streamed (only the ids and their first lines are held): the first checks every row
 * (so a bad header, or every bad row, is known before anything is written, and {@code --dry-run}
 * is the same check), the second writes a few quanta a transaction on several threads, the codes
 * of one quantum on the same thread when the file is sorted by id, as the export writes it. The id counter is moved past the file's largest id and the
 * reserve before the first write, so that the service never hands out an id being imported.
 */
final class CodeImport {

    /** Ids kept free above the file's largest, for the codes the old service creates until the switch. */
    static final long DEFAULT_RESERVE = 1_000_000;

    /** Quanta written at once: DynamoDB takes their transactions side by side (they share no item). */
    static final int DEFAULT_THREADS = 8;

    record Options(Path file, boolean dryRun, boolean verify, long reserveIds, int threads) {
    }

    /** What the first pass learnt of the file. */
    private record Checked(long rows, long toWrite, long maxId, long minId, Set<Long> rejectedLines, Set<Long> coarseBuckets) {
    }

    private final CodeImporter importer;
    private final PrintStream out;
    private final PrintStream err;
    private final ProgressFactory progress;

    /** Where the progress goes: {@link Progress#of} on the command line. */
    interface ProgressFactory {
        Progress start(long total);
    }

    CodeImport(CodeImporter importer, PrintStream out, PrintStream err, ProgressFactory progress) {
        this.importer = importer;
        this.out = out;
        this.err = err;
        this.progress = progress;
    }

    /** Runs the import, or its check; the exit code. */
    int run(Options options, Instant now) throws CsvFile.Unreadable {
        long started = System.nanoTime();
        ImportReport report = new ImportReport();
        Checked checked = check(options.file(), report, now);
        if (options.verify()) {
            return verify(options.file(), checked, now);
        }
        if (!options.dryRun() && checked.toWrite() > 0) {
            if (importer.prepare(false) == CodeImporter.Readiness.NEEDS_BACKFILL) {
                err.println("the table holds codes an older version wrote, not counted yet: run backfill first, then the import");
                return Main.USAGE;
            }
        }
        long counterBefore = importer.counter();
        if (!options.dryRun() && checked.toWrite() > 0) {
            long counter = importer.reserveIds(checked.maxId() + options.reserveIds());
            report.note(String.format(Locale.ROOT, "id counter: %,d (was %,d; largest id in the file %,d, reserve %,d): "
                    + "the service's next id is %,d", counter, counterBefore, checked.maxId(), options.reserveIds(), counter + 1));
        } else if (checked.toWrite() > 0) {
            report.note(String.format(Locale.ROOT, "id counter: %,d; an import would move it to at least %,d", counterBefore,
                    Math.max(counterBefore, checked.maxId() + options.reserveIds())));
        }
        String stopped = write(options, checked, report, now);
        if (stopped == null && !options.dryRun()) {
            fold(checked, report, now);
        }
        long written = report.get(ImportReport.Count.IMPORTED) + report.get(ImportReport.Count.UPDATED);
        if (!options.dryRun() && written > 0) {
            report.note(String.format(Locale.ROOT, "write units: %,.0f as DynamoDB reported them, indexes included (%.2f a code written)",
                    importer.writeUnits(), importer.writeUnits() / written));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        report.print(out, String.format(Locale.ROOT, "import codes %s: %,d rows in %.1f s (%,.0f rows/s)", options.file().getFileName(),
                checked.rows(), seconds, checked.rows() / Math.max(seconds, 1e-9)), options.dryRun());
        if (stopped != null) {
            out.println("stopped: " + stopped + "; run the same import again: it goes on where it stopped");
            return 1;
        }
        return report.anyRejected() ? 1 : 0;
    }

    /** The first pass: every row checked, bad ones and duplicate ids rejected, the codes past their retention counted. */
    private Checked check(Path file, ImportReport report, Instant now) throws CsvFile.Unreadable {
        // id -> the line it was first on; negative for a row skipped as past its retention
        LongIntMap firstLines = new LongIntMap();
        Set<Long> rejected = new HashSet<>();
        Set<Long> coarse = new TreeSet<>();
        long rows = 0;
        long skipped = 0;
        long maxId = 0;
        long minId = Long.MAX_VALUE;
        try (CsvFile csv = CsvFile.open(file, CodeRow.COLUMNS, List.of())) {
            for (CsvFile.Row row = csv.next(); row != null; row = csv.next()) {
                rows++;
                CodeRow code = CodeRow.read(row);
                boolean pastRetention = code.valid() && importer.isPastRetention(code.code(), now);
                int line = (int) Math.min(Integer.MAX_VALUE, row.line());
                int first = code.id() > 0 ? firstLines.putIfAbsent(code.id(), pastRetention ? -line : line) : 0;
                if (first != -1 && code.id() > 0) {
                    // the same id twice: neither row is written, whichever the old service meant
                    long firstLine = Math.abs(first);
                    if (rejected.add(firstLine)) {
                        skipped -= first < 0 ? 1 : 0;
                        report.reject(firstLine, CodeRow.ID, "The same id is on line " + row.line() + " too.");
                    }
                    report.reject(row.line(), CodeRow.ID, "The same id is on line " + firstLine + " too.");
                    rejected.add(row.line());
                } else if (!code.valid()) {
                    report.reject(row.line(), code.errors());
                    rejected.add(row.line());
                } else if (pastRetention) {
                    skipped++;
                } else {
                    maxId = Math.max(maxId, code.id());
                    minId = Math.min(minId, code.id());
                    coarse.add(importer.coarseBucket(code.id()));
                }
            }
        }
        long toWrite = rows - skipped - report.get(ImportReport.Count.REJECTED);
        report.add(ImportReport.Count.SKIPPED, skipped);
        if (skipped > 0) {
            report.note(String.format(Locale.ROOT, "skipped: %,d codes whose retention has passed (valid_to more than the "
                    + "retention before now)", skipped));
        }
        return new Checked(rows, toWrite, maxId, minId, rejected, coarse);
    }

    /** The second pass: the valid rows written a few quanta a transaction; a reason when it had to stop, else null. */
    private String write(Options options, Checked checked, ImportReport report, Instant now) throws CsvFile.Unreadable {
        AtomicLong done = new AtomicLong();
        AtomicLong keptNewer = new AtomicLong();
        AtomicLong hidden = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        Progress shown = progress.start(checked.toWrite());
        List<ExecutorService> workers = new ArrayList<>();
        for (int i = 0; i < options.threads(); i++) {
            workers.add(worker());
        }
        try (CsvFile csv = CsvFile.open(options.file(), CodeRow.COLUMNS, List.of())) {
            // a few quanta a transaction, in the file's order (by id, as the export writes it)
            List<CodeRow> group = new ArrayList<>();
            int quanta = 0;
            long lastQuantum = 0;
            for (CsvFile.Row row = csv.next(); row != null && failure.get() == null; row = csv.next()) {
                if (checked.rejectedLines().contains(row.line())) {
                    continue;
                }
                CodeRow code = CodeRow.read(row);
                if (!code.valid() || importer.isPastRetention(code.code(), now)) {
                    continue;
                }
                long quantum = importer.quantum(code.id());
                if (group.isEmpty() || quantum != lastQuantum) {
                    if (quanta == CodeImporter.QUANTA_PER_TRANSACTION) {
                        submit(workers, group, options.dryRun(), now, report, done, keptNewer, hidden, failure, shown);
                        group = new ArrayList<>();
                        quanta = 0;
                    }
                    quanta++;
                    lastQuantum = quantum;
                }
                group.add(code);
            }
            if (!group.isEmpty() && failure.get() == null) {
                submit(workers, group, options.dryRun(), now, report, done, keptNewer, hidden, failure, shown);
            }
        } finally {
            for (ExecutorService worker : workers) {
                worker.shutdown();
            }
            for (ExecutorService worker : workers) {
                awaitQuietly(worker);
            }
            shown.finish();
        }
        if (keptNewer.get() > 0) {
            report.note(String.format(Locale.ROOT, "unchanged: %,d of them changed here since (a newer updated_at): left as they are",
                    keptNewer.get()));
        }
        if (hidden.get() > 0) {
            report.note(String.format(Locale.ROOT, "unchanged: %,d of them past their retention here: left as they are", hidden.get()));
        }
        return failure.get();
    }

    private void submit(List<ExecutorService> workers, List<CodeRow> group, boolean dryRun, Instant now, ImportReport report,
            AtomicLong done, AtomicLong keptNewer, AtomicLong hidden, AtomicReference<String> failure, Progress shown) {
        ExecutorService worker = workers.get((int) Math.floorMod(importer.quantum(group.get(0).id()), (long) workers.size()));
        List<OtpCode> codes = group.stream().map(CodeRow::code).toList();
        Runnable task = () -> {
            if (failure.get() != null) {
                return;
            }
            try {
                Map<Long, CodeImporter.Outcome> outcomes = importer.importQuanta(codes, now, dryRun);
                for (CodeRow row : group) {
                    switch (outcomes.get(row.id())) {
                        case IMPORTED -> report.add(ImportReport.Count.IMPORTED, 1);
                        case UPDATED -> report.add(ImportReport.Count.UPDATED, 1);
                        case UNCHANGED -> report.add(ImportReport.Count.UNCHANGED, 1);
                        case KEPT_NEWER -> {
                            report.add(ImportReport.Count.UNCHANGED, 1);
                            keptNewer.incrementAndGet();
                        }
                        case HIDDEN -> {
                            report.add(ImportReport.Count.UNCHANGED, 1);
                            hidden.incrementAndGet();
                        }
                        case ID_TAKEN -> report.reject(row.line(), CodeRow.ID,
                                "The table holds another code with this id (its created_at differs): not written.");
                    }
                }
                shown.update(done.addAndGet(group.size()));
            } catch (RuntimeException e) {
                failure.compareAndSet(null, "DynamoDB refused: " + Endpoints.firstLine(e.getMessage()) + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        };
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            failure.compareAndSet(null, "interrupted");
        }
    }

    /**
     * Folds the summary stripes of the coarse buckets the import wrote, but the one the id counter
     * is in (the service's creates may write it), so that the first lists read one item a bucket.
     */
    private void fold(Checked checked, ImportReport report, Instant now) {
        long creating = importer.coarseBucket(importer.counter() + 1);
        int buckets = 0;
        long stripes = 0;
        for (long bucket : checked.coarseBuckets()) {
            if (bucket != creating) {
                int folded = importer.fold(bucket, now);
                stripes += folded;
                buckets += folded > 0 ? 1 : 0;
            }
        }
        if (stripes > 0) {
            report.note(String.format(Locale.ROOT, "summaries: %,d stripes folded into %,d coarse buckets' summaries "
                    + "(lists read one item a bucket)", stripes, buckets));
        }
    }

    /** One thread whose queue blocks the reader when full: the file is read no faster than it is written. */
    private static ExecutorService worker() {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(16), r -> {
            Thread thread = new Thread(r, "otp-import");
            thread.setDaemon(true);
            return thread;
        }, (task, executor) -> {
            try {
                executor.getQueue().put(task);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RejectedExecutionException(e);
            }
        });
    }

    private static void awaitQuietly(ExecutorService worker) {
        try {
            worker.awaitTermination(1, TimeUnit.DAYS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code --verify}: the file's valid codes within their retention against the table's, nothing written. */
    private int verify(Path file, Checked checked, Instant now) throws CsvFile.Unreadable {
        CodeDigest fromFile = new CodeDigest(importer.coarseSize());
        try (CsvFile csv = CsvFile.open(file, CodeRow.COLUMNS, List.of())) {
            for (CsvFile.Row row = csv.next(); row != null; row = csv.next()) {
                if (!checked.rejectedLines().contains(row.line())) {
                    CodeRow code = CodeRow.read(row);
                    if (code.valid() && !importer.isPastRetention(code.code(), now)) {
                        fromFile.add(code.code());
                    }
                }
            }
        }
        CodeDigest fromTable = new CodeDigest(importer.coarseSize());
        long nowSecond = now.getEpochSecond();
        for (long bucket : checked.coarseBuckets()) {
            importer.readLines(bucket, (code, expiresAt) -> {
                if (expiresAt > nowSecond && code.id() >= checked.minId() && code.id() <= checked.maxId()) {
                    fromTable.add(code);
                }
            });
        }
        List<String> differences = fromFile.differences(fromTable);
        out.println("verify codes " + file.getFileName() + " (codes within their retention, from the file's smallest id to its largest;"
                + " nothing written):");
        if (checked.rows() - checked.toWrite() > 0) {
            out.println(String.format(Locale.ROOT, "  %,d rows of the file not compared: rejected or past their retention",
                    checked.rows() - checked.toWrite()));
        }
        if (differences.isEmpty()) {
            out.println("  equal: " + fromFile.summary());
            return 0;
        }
        out.println("  different:");
        differences.forEach(d -> out.println("  " + d));
        return 1;
    }
}
