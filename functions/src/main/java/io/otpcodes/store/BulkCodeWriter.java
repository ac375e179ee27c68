package io.otpcodes.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The bulk path that the import and the backfill share: the codes of a few quanta written in one
 * transaction, with their lines and the counts they add or move in each quantum's fine summary
 * and coarse stripe. A transaction is all or nothing, so an import or a backfill killed at any
 * point leaves every code either written and counted, or untouched. Several quanta a transaction,
 * because a transaction's own cost is much of its time (DynamoDB Local: 25 puts a transaction
 * write about 1,100-1,700 items a second, 96 about 2,500).
 */
final class BulkCodeWriter {

    /** DynamoDB's limit of writes in one transaction. */
    static final int MAX_WRITES = 100;

    /** Quanta a transaction takes at most: 3 full quanta of 25 codes are 84 writes with their items. */
    static final int MAX_QUANTA = 3;

    /** Codes of one quantum alone in a transaction at most: its lines item and two summaries make 100. */
    static final int MAX_CODES = MAX_WRITES - 3;

    /**
     * One code's write: its line as it will be stored, the line the summaries count for it now
     * (null when they count none: a new code, or one the backfill counts), and the write of its
     * item, conditioned on the state the caller read.
     */
    record Change(CodeLines.Line line, CodeLines.Line counted, TransactWriteItem codeWrite) {
    }

    private final DynamoDbClient dynamoDb;
    private final String summaryTable;
    private final IdBuckets buckets;
    private final CodeLines lines;

    BulkCodeWriter(DynamoDbClient dynamoDb, String summaryTable, IdBuckets buckets) {
        this.dynamoDb = dynamoDb;
        this.summaryTable = summaryTable;
        this.buckets = buckets;
        this.lines = new CodeLines(summaryTable, buckets);
    }

    /**
     * Writes changes of the codes of a few quanta in one transaction: the quanta's lines items
     * first (a refusal for one's TTL is met by keeping that item's later TTL), then the codes, then
     * the counts. A transaction cancelled for a conflict or a throttle is sent again after a random
     * wait.
     *
     * @return the write units DynamoDB reported for it (indexes included)
     * @throws TransactionCanceledException when a code's condition failed: another write came
     *     first, and the caller must read again
     */
    double write(List<Change> changes) {
        if (changes.isEmpty()) {
            return 0;
        }
        Map<Long, List<CodeLines.Line>> byQuantum = new TreeMap<>();
        for (Change change : changes) {
            byQuantum.computeIfAbsent(buckets.linesBucket(change.line().code().id()), q -> new ArrayList<>()).add(change.line());
        }
        List<Long> quanta = new ArrayList<>(byQuantum.keySet());
        Set<Long> keepTtl = new HashSet<>();
        for (int attempt = 1; ; attempt++) {
            List<TransactWriteItem> writes = transaction(changes, byQuantum, keepTtl);
            if (writes.size() > MAX_WRITES) {
                throw new IllegalArgumentException(writes.size() + " writes: at most " + MAX_WRITES + " a transaction");
            }
            try {
                return dynamoDb.transactWriteItems(r -> r.transactItems(writes)
                        .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)).consumedCapacity().stream()
                        .mapToDouble(c -> c.capacityUnits() == null ? 0 : c.capacityUnits()).sum();
            } catch (TransactionCanceledException e) {
                Set<Long> ttlIsLater = new HashSet<>();
                for (int i = 0; i < quanta.size(); i++) {
                    if (!keepTtl.contains(quanta.get(i)) && CodeTransactions.linesTtlIsLater(e, i)) {
                        ttlIsLater.add(quanta.get(i));
                    }
                }
                if (!ttlIsLater.isEmpty()) {
                    keepTtl.addAll(ttlIsLater);
                    continue;
                }
                if (e.cancellationReasons().stream().anyMatch(r -> CodeTransactions.CONDITION_FAILED.equals(r.code()))) {
                    throw e;
                }
                CodeTransactions.retryOnConflict(e, attempt);
            }
        }
    }

    private List<TransactWriteItem> transaction(List<Change> changes, Map<Long, List<CodeLines.Line>> byQuantum,
            Set<Long> keepTtl) {
        List<TransactWriteItem> writes = new ArrayList<>();
        byQuantum.forEach((quantum, quantumLines) -> writes.add(lines.write(quantumLines,
                keepTtl.contains(quantum) ? CodeLines.Ttl.KEEP : CodeLines.Ttl.RAISE)));
        // the counts of each summary item: a fine summary per quantum, a stripe per stripe (two quanta may share one)
        Map<Map<String, AttributeValue>, Map<String, Long>> fine = new LinkedHashMap<>();
        Map<Map<String, AttributeValue>, Map<String, Long>> coarse = new LinkedHashMap<>();
        for (Change change : changes) {
            writes.add(change.codeWrite());
            long id = change.line().code().id();
            Map<String, Long> fineCounts = fine.computeIfAbsent(buckets.fineKey(id), k -> new HashMap<>());
            Map<String, Long> coarseCounts = coarse.computeIfAbsent(buckets.coarseKey(id), k -> new HashMap<>());
            count(change.line(), 1, fineCounts, coarseCounts);
            if (change.counted() != null) {
                count(change.counted(), -1, fineCounts, coarseCounts);
            }
        }
        fine.forEach((key, counts) -> {
            counts.values().removeIf(n -> n == 0);
            if (!counts.isEmpty()) {
                writes.add(CodeTransactions.summaryAdd(summaryTable, key, counts));
            }
        });
        coarse.forEach((key, counts) -> {
            counts.values().removeIf(n -> n == 0);
            if (!counts.isEmpty()) {
                writes.add(CodeTransactions.stripeAdd(summaryTable, key, counts));
            }
        });
        return writes;
    }

    /** A code's counts: its expiry minute (fine) and hour (coarse), and its day of creation in both. */
    private static void count(CodeLines.Line line, long n, Map<String, Long> fine, Map<String, Long> coarse) {
        String day = IdBuckets.createdDay(line.code().createdAt());
        fine.merge(IdBuckets.fineExpiry(line.expiresAt()), n, Long::sum);
        fine.merge(day, n, Long::sum);
        coarse.merge(IdBuckets.coarseExpiry(line.expiresAt()), n, Long::sum);
        coarse.merge(day, n, Long::sum);
    }
}
