package io.otpcodes.store;

import static io.otpcodes.store.DynamoDbOtpCodeRepository.n;
import static io.otpcodes.store.DynamoDbOtpCodeRepository.s;
import static io.otpcodes.store.OtpTableSchema.ID;

import io.otpcodes.domain.OtpCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAdder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Brings codes of the old service in as they were (same id, fields and times), a few quanta at a
 * time: their lines items are read (consistently: a lines item holds every counted code of its
 * quantum, written in the same transaction as the code), each code is compared with its line,
 * and the new and newer ones are written in one transaction of the bulk path with their counts
 * ({@link BulkCodeWriter}). So a second run of the same file writes nothing, a newer export
 * updates what changed in the old service, a code changed in this service since is left alone,
 * and an import killed at any point leaves each transaction's codes all written or untouched.
 */
public final class CodeImporter {

    /** What became of one code of the file. */
    public enum Outcome {
        /** New here: written and counted. */
        IMPORTED,
        /** Stored here with an older updated_at: replaced, its counts moved. */
        UPDATED,
        /** Stored here as the file has it. */
        UNCHANGED,
        /** Stored here with a newer updated_at (changed in this service since): left alone. */
        KEPT_NEWER,
        /** Stored here but past its retention here (hidden, to be swept): left alone. */
        HIDDEN,
        /** The id is another code's here (its created_at differs): not written. */
        ID_TAKEN
    }

    /** Whether the table can take an import: its summaries count every code it holds. */
    public enum Readiness { READY, NEEDS_BACKFILL }

    /** Attempts at a quantum whose codes another write changed between the read and the transaction. */
    static final int ATTEMPTS = 16;

    private final DynamoDbClient dynamoDb;
    private final String otpTable;
    private final String counterTable;
    private final String summaryTable;
    private final Duration retention;
    private final IdBuckets buckets;
    private final BulkCodeWriter writer;
    private final DoubleAdder writeUnits = new DoubleAdder();

    public CodeImporter(DynamoDbClient dynamoDb, String otpTable, String counterTable, String summaryTable, Duration retention) {
        this(dynamoDb, otpTable, counterTable, summaryTable, retention, IdBuckets.DEFAULT);
    }

    public CodeImporter(DynamoDbClient dynamoDb, String otpTable, String counterTable, String summaryTable, Duration retention,
            IdBuckets buckets) {
        this.dynamoDb = dynamoDb;
        this.otpTable = otpTable;
        this.counterTable = counterTable;
        this.summaryTable = summaryTable;
        this.retention = retention;
        this.buckets = buckets;
        this.writer = new BulkCodeWriter(dynamoDb, summaryTable, buckets);
    }

    /** The write units DynamoDB reported for the codes written so far (their indexes included). */
    public double writeUnits() {
        return writeUnits.sum();
    }

    /** The quantum of an id: the codes of one quantum are imported together. */
    public long quantum(long id) {
        return buckets.linesBucket(id);
    }

    /** Ids a coarse bucket holds. */
    public long coarseSize() {
        return buckets.coarse();
    }

    /** The coarse bucket of an id: what {@link #readLines} reads. */
    public long coarseBucket(long id) {
        return buckets.coarseBucket(id);
    }

    /**
     * The TTL attribute of a code imported at {@code now}, as a create of it would have set it
     * ({@link CodeTransactions#expiresAt}); a code whose TTL is not after {@code now} is past its
     * retention and not imported.
     */
    public long expiresAt(OtpCode code) {
        Instant end = code.validTo().plus(retention);
        return end.getEpochSecond() + (end.getNano() > 0 ? 1 : 0);
    }

    public boolean isPastRetention(OtpCode code, Instant now) {
        return expiresAt(code) <= now.getEpochSecond();
    }

    /**
     * Whether the summaries count every code the table holds: the ready marker, or an empty
     * table (then the marker is put, unless {@code dryRun}: every code the import writes is
     * counted). A table an older version wrote must be backfilled first.
     */
    public Readiness prepare(boolean dryRun) {
        Map<String, AttributeValue> marker = dynamoDb.getItem(r -> r.tableName(summaryTable)
                .key(IdBuckets.readyMarkerKey()).consistentRead(true)).item();
        if (marker != null && !marker.isEmpty()
                && String.valueOf(OtpTableSchema.LAYOUT).equals(marker.get(SummaryTableSchema.LAYOUT) == null ? null
                        : marker.get(SummaryTableSchema.LAYOUT).n())) {
            return Readiness.READY;
        }
        boolean empty = dynamoDb.scan(r -> r.tableName(otpTable).limit(1).select(Select.COUNT).consistentRead(true)).count() == 0;
        if (empty) {
            if (!dryRun) {
                dynamoDb.putItem(r -> r.tableName(summaryTable).item(CodeTransactions.readyMarker()));
            }
            return Readiness.READY;
        }
        return dryRun || new SummaryReadiness(dynamoDb, otpTable, summaryTable).markIfEveryCodeCounted()
                ? Readiness.READY : Readiness.NEEDS_BACKFILL;
    }

    /**
     * Moves the id counter to at least {@code upTo}, stretched to the end of its quantum (so that
     * the service's next ids start a quantum of their own); never back. Returns the counter's
     * value after.
     */
    public long reserveIds(long upTo) {
        long end = (Math.floorDiv(upTo, buckets.lines()) + 1) * buckets.lines() - 1;
        Map<String, AttributeValue> key = Map.of(CounterTableSchema.NAME, s(CounterTableSchema.OTP_CODE_ID));
        try {
            dynamoDb.updateItem(r -> r.tableName(counterTable).key(key)
                    .updateExpression("SET #value = :end")
                    .conditionExpression("attribute_not_exists(#value) OR #value < :end")
                    .expressionAttributeNames(Map.of("#value", CounterTableSchema.VALUE))
                    .expressionAttributeValues(Map.of(":end", n(end))));
            return end;
        } catch (ConditionalCheckFailedException alreadyPast) {
            return Long.parseLong(dynamoDb.getItem(r -> r.tableName(counterTable).key(key).consistentRead(true)).item()
                    .get(CounterTableSchema.VALUE).n());
        }
    }

    /** The counter's value now: the last id the service handed out or reserved (0 when none). */
    public long counter() {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(counterTable)
                .key(Map.of(CounterTableSchema.NAME, s(CounterTableSchema.OTP_CODE_ID))).consistentRead(true)).item();
        return item == null || !item.containsKey(CounterTableSchema.VALUE) ? 0 : Long.parseLong(item.get(CounterTableSchema.VALUE).n());
    }

    /** Quanta imported in one transaction at most (see {@link BulkCodeWriter}). */
    public static final int QUANTA_PER_TRANSACTION = BulkCodeWriter.MAX_QUANTA;

    /**
     * Imports codes of at most {@link #QUANTA_PER_TRANSACTION} quanta (distinct ids, none past
     * its retention), or with {@code dryRun} only says what an import would do. The outcome of
     * each, by id.
     */
    public Map<Long, Outcome> importQuanta(List<OtpCode> codes, Instant now, boolean dryRun) {
        if (codes.stream().map(c -> quantum(c.id())).distinct().count() > QUANTA_PER_TRANSACTION) {
            throw new IllegalArgumentException("codes of at most " + QUANTA_PER_TRANSACTION + " quanta at once");
        }
        for (int attempt = 1; ; attempt++) {
            Map<Long, CodeLines.Line> stored = storedLines(codes);
            Map<Long, Outcome> outcomes = new LinkedHashMap<>();
            List<BulkCodeWriter.Change> changes = new ArrayList<>();
            List<OtpCode> newer = new ArrayList<>();
            for (OtpCode code : codes) {
                Outcome outcome = compare(code, stored.get(code.id()), now);
                outcomes.put(code.id(), outcome);
                if (outcome == Outcome.IMPORTED && !dryRun) {
                    changes.add(new BulkCodeWriter.Change(line(code), null, put(code, 1, null)));
                } else if (outcome == Outcome.UPDATED && !dryRun) {
                    newer.add(code);
                }
            }
            if (!newer.isEmpty()) {
                changes.addAll(updates(newer, stored));
            }
            try {
                writeUnits.add(writer.write(changes));
                return outcomes;
            } catch (TransactionCanceledException changedMeanwhile) {
                // a PATCH, a create or another import wrote one of these codes after the read: read again
                CodeTransactions.backOff(changedMeanwhile, attempt);
            }
        }
    }

    private Outcome compare(OtpCode code, CodeLines.Line stored, Instant now) {
        if (stored == null) {
            return Outcome.IMPORTED;
        }
        if (stored.expiresAt() <= now.getEpochSecond()) {
            return Outcome.HIDDEN;
        }
        if (stored.code().equals(code) && stored.expiresAt() == expiresAt(code)) {
            return Outcome.UNCHANGED;
        }
        if (!stored.code().createdAt().equals(code.createdAt())) {
            return Outcome.ID_TAKEN;
        }
        return code.updatedAt().isAfter(stored.code().updatedAt()) ? Outcome.UPDATED : Outcome.KEPT_NEWER;
    }

    /** Replacements of codes stored with an older updated_at, each on condition that it is still the version read. */
    private List<BulkCodeWriter.Change> updates(List<OtpCode> codes, Map<Long, CodeLines.Line> stored) {
        List<Map<String, AttributeValue>> keys = codes.stream().map(c -> Map.of(ID, n(c.id()))).toList();
        Map<Long, Map<String, AttributeValue>> items = new HashMap<>();
        for (Map<String, AttributeValue> item : BatchReads.consistent(dynamoDb, otpTable, keys)) {
            items.put(Long.parseLong(item.get(ID).n()), item);
        }
        List<BulkCodeWriter.Change> changes = new ArrayList<>();
        for (OtpCode code : codes) {
            Map<String, AttributeValue> old = items.get(code.id());
            // a line without its code: the code was swept while the line waits for its item's TTL; written anew
            changes.add(new BulkCodeWriter.Change(line(code), stored.get(code.id()),
                    old == null ? put(code, 1, null) : put(code, CodeTransactions.version(old) + 1, old)));
        }
        return changes;
    }

    private CodeLines.Line line(OtpCode code) {
        return new CodeLines.Line(code, expiresAt(code));
    }

    /** The code's item, put if its id is new ({@code old} null) or if it is still the version read. */
    private TransactWriteItem put(OtpCode code, long version, Map<String, AttributeValue> old) {
        Map<String, AttributeValue> item = DynamoDbOtpCodeRepository.toItem(code, buckets, expiresAt(code), version);
        Expression expression = new Expression();
        String condition = old == null ? "attribute_not_exists(" + expression.name(ID) + ")"
                : CodeTransactions.sameVersion(expression, old) + " AND " + expression.name(OtpTableSchema.COUNTED) + " = "
                        + expression.value(n(OtpTableSchema.LAYOUT));
        return TransactWriteItem.builder().put(p -> p.tableName(otpTable).item(item).conditionExpression(condition)
                .expressionAttributeNames(expression.names()).expressionAttributeValues(expression.values())).build();
    }

    /** The lines the quanta of these codes hold, by id, read consistently in one request. */
    private Map<Long, CodeLines.Line> storedLines(List<OtpCode> codes) {
        List<Map<String, AttributeValue>> keys = codes.stream().map(c -> buckets.linesKey(c.id())).distinct().toList();
        Map<Long, CodeLines.Line> lines = new HashMap<>();
        for (Map<String, AttributeValue> item : BatchReads.consistent(dynamoDb, summaryTable, keys)) {
            item.forEach((attribute, value) -> {
                if (CodeLines.isLine(attribute)) {
                    CodeLines.Line line = CodeLines.parse(attribute, value.s());
                    lines.put(line.code().id(), line);
                }
            });
        }
        return lines;
    }

    /**
     * Folds the summary stripes the import left in a coarse bucket into its folded summary
     * ({@link StripeFolder}), so that the first lists after an import read one item for the bucket,
     * as in the steady state, not one per stripe. Returns the stripes folded; a fold that a PATCH
     * meets is left for a later list.
     */
    public int fold(long coarseBucket, Instant now) {
        return new StripeFolder(dynamoDb, summaryTable, buckets).fold(coarseBucket, now);
    }

    /**
     * Every line of the coarse bucket {@code coarseBucket} (the codes the table counts, past
     * their retention too), with its TTL: what a check after an import compares with the file.
     */
    public void readLines(long coarseBucket, StoredCodeConsumer each) {
        SummaryPartitions.readAll(dynamoDb, summaryTable,
                SummaryPartitions.parts(buckets.linesPartitions(), p -> SummaryTableSchema.linesPart(coarseBucket, p)),
                Long.MIN_VALUE, Long.MAX_VALUE, page -> {
                    for (Map<String, AttributeValue> item : page.items()) {
                        item.forEach((attribute, value) -> {
                            if (CodeLines.isLine(attribute)) {
                                CodeLines.Line line = CodeLines.parse(attribute, value.s());
                                each.accept(line.code(), line.expiresAt());
                            }
                        });
                    }
                });
    }

    /** A stored code and its TTL (epoch seconds). */
    @FunctionalInterface
    public interface StoredCodeConsumer {
        void accept(OtpCode code, long expiresAt);
    }

}
