package io.otpcodes.store;

import static io.otpcodes.store.DynamoDbOtpCodeRepository.n;
import static io.otpcodes.store.DynamoDbOtpCodeRepository.s;

import java.util.Map;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The ids of one function container (one JVM), from the counter item. While the container is
 * quiet (its last id was drawn more than {@code busyNanos} ago) it draws ids one at a time, so
 * that ids follow creation order exactly. While it is busy, and at its first create (a cold
 * start: in a login storm many containers start in the same second), it takes a block of ids
 * with one ADD, as a PostgreSQL sequence with CACHE does: the counter item sees one write per
 * block instead of one per create.
 *
 * <p>A block is {@code blockSize} ids, a whole number of quanta, ending on a quantum's last id
 * (quanta: {@link IdBuckets#lines()} ids, one lines item and one fine summary each). The
 * container skips the block's first ids when they share a quantum with ids before the block, so
 * every quantum it writes is its own: concurrent creates of other containers never meet its
 * lines item or fine summary. The block doubles while the container uses one up within
 * {@code busyNanos}, up to {@code maxBlock}; what is left of a block when the container goes
 * quiet, or older than {@code lifetimeNanos}, is dropped. Skipped and dropped ids are gaps, as a
 * failed create leaves.
 */
final class IdAllocator {

    private static final Map<String, AttributeValue> COUNTER_KEY = Map.of(CounterTableSchema.NAME, s(CounterTableSchema.OTP_CODE_ID));

    private final DynamoDbClient dynamoDb;
    private final String counterTable;
    private final int quantum;
    private final int maxBlock;
    private final long busyNanos;
    private final long lifetimeNanos;
    private final LongSupplier clock;

    private long next = 1;
    private long last;
    private long blockTakenAt;
    private long lastDrawnAt;
    private boolean drawnBefore;
    private int blockSize;

    IdAllocator(DynamoDbClient dynamoDb, String counterTable, int quantum, int maxBlock, long busyNanos, long lifetimeNanos,
            LongSupplier clock) {
        this.dynamoDb = dynamoDb;
        this.counterTable = counterTable;
        this.quantum = quantum;
        this.maxBlock = maxBlock;
        this.busyNanos = busyNanos;
        this.lifetimeNanos = lifetimeNanos;
        this.clock = clock;
    }

    /** With the production timing: busy below a second between ids, a block used for at most five seconds. */
    IdAllocator(DynamoDbClient dynamoDb, String counterTable, int quantum, int maxBlock) {
        this(dynamoDb, counterTable, quantum, maxBlock, 1_000_000_000L, 5_000_000_000L, System::nanoTime);
    }

    synchronized long nextId() {
        long now = clock.getAsLong();
        boolean busy = !drawnBefore || now - lastDrawnAt < busyNanos;
        drawnBefore = true;
        lastDrawnAt = now;
        if (busy && next <= last && now - blockTakenAt < lifetimeNanos) {
            return next++;
        }
        if (!busy || maxBlock < quantum) {
            last = next - 1; // drop what is left of a block
            blockSize = 0;
            return add(1);
        }
        boolean usedUpQuickly = next > last && blockSize > 0 && now - blockTakenAt < busyNanos;
        blockSize = blockSize == 0 ? quantum : usedUpQuickly ? Math.min(2 * blockSize, maxBlock / quantum * quantum) : blockSize;
        long previousLast = last;
        long first = takeBlock();
        // the ids before the block are someone else's (unless they end this container's last block): never share their quantum
        boolean sharesAQuantum = first > 1 && first - 1 != previousLast
                && Math.floorDiv(first - 1, quantum) == Math.floorDiv(first, quantum);
        next = sharesAQuantum ? (Math.floorDiv(first, quantum) + 1) * quantum : first;
        blockTakenAt = now;
        return next++;
    }

    /**
     * Takes a block of {@code blockSize} ids with one ADD and sets {@link #last}; its first id.
     * Blocks are whole quanta, so once the counter stands on a quantum's last id it stays there;
     * when it does not (a quiet container's single id moved it, or the table is new), the block is
     * stretched to its quantum's end by a compare-and-set, unless another container moved the
     * counter meanwhile (then that one skips the rest of the quantum).
     */
    private long takeBlock() {
        long taken = add(blockSize);
        last = taken;
        if (Math.floorMod(taken + 1, quantum) != 0) {
            long end = (Math.floorDiv(taken, quantum) + 1) * quantum - 1;
            try {
                dynamoDb.updateItem(r -> r.tableName(counterTable).key(COUNTER_KEY)
                        .updateExpression("SET #value = :end").conditionExpression("#value = :taken")
                        .expressionAttributeNames(Map.of("#value", CounterTableSchema.VALUE))
                        .expressionAttributeValues(Map.of(":taken", n(taken), ":end", n(end))));
                last = end;
            } catch (ConditionalCheckFailedException moved) {
                // another container drew ids after this block: it does not share this quantum
            }
        }
        return taken - blockSize + 1;
    }

    /** Moves the counter on by {@code n}; its new value, the last id of the {@code n} taken. */
    private long add(long n) {
        return Long.parseLong(dynamoDb.updateItem(r -> r.tableName(counterTable).key(COUNTER_KEY)
                .updateExpression("ADD #value :n")
                .expressionAttributeNames(Map.of("#value", CounterTableSchema.VALUE))
                .expressionAttributeValues(Map.of(":n", n(n)))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes().get(CounterTableSchema.VALUE).n());
    }
}
