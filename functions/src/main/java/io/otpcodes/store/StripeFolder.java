package io.otpcodes.store;

import static io.otpcodes.store.DynamoDbOtpCodeRepository.n;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Folds the stripes of a coarse bucket that creates have left into one folded summary, so that a
 * list reads one item for it, not {@link IdBuckets#stripes()}: the stripes keep the creates of
 * one moment apart, and once the counter has moved on they only cost the lists.
 *
 * <p>A fold of one group of stripes is one transaction: it puts the folded summary with the
 * stripes' counts added (on condition it is still the version read) and deletes each stripe (on
 * condition it is still the state read: its life and version). A PATCH that comes after writes a
 * new stripe item, with a new life. Lists read the stripes before the folded summaries; a fold
 * between the two reads records the lives it deleted in the folded summary ({@code k<group>}),
 * so the list adds none of them twice ({@link SummaryPartitions#readCoarse}). Folds of a group are
 * at least {@link #SPACING} apart, so a list that reads within its window meets at most one.
 *
 * <p>Counts that sum to zero are dropped (a zero adds nothing to any list), and so are counts of
 * codes that expired over {@link #KEEP_EXPIRED} ago; a folded summary left with no live count and
 * no stripe is deleted, so lists read one item per coarse bucket that still has live codes. Who
 * folds: a list, after its answer is ready, folds up to {@link #MOST_BUCKETS_A_LIST} coarse
 * buckets below the newest, or else deletes one such folded summary (see {@link #afterList});
 * the import and the backfill fold what they wrote.
 */
final class StripeFolder {

    /** The least time between two folds of one group of stripes (by the folders' clocks). */
    static final Duration SPACING = Duration.ofMinutes(1);
    /**
     * How long after its hour a count of codes expiring in that hour is kept: past it no list can
     * count them (a list counts codes whose TTL is still ahead), so folds drop such counts, and a
     * folded summary left with none is deleted. A day, far beyond any clock's skew.
     */
    static final Duration KEEP_EXPIRED = Duration.ofDays(1);
    /** How long a fold's record of the stripes it deleted is kept (lists read within {@link SummaryPartitions#READ_WINDOW}). */
    static final Duration KEEP_LIVES = Duration.ofMinutes(10);

    /**
     * Coarse buckets one list folds at most: after a burst of creates many wait (one per 10,000
     * ids), and every list reads all their stripes until they are folded, so a list folds several,
     * the first always, the others while its folding stays within {@link #budget}.
     */
    static final int MOST_BUCKETS_A_LIST = 4;
    /** How long a list's folds may take before it starts no other (a fold of a full bucket: 4 Queries, 4 transactions). */
    static final Duration FOLD_BUDGET = Duration.ofMillis(250);

    private final DynamoDbClient dynamoDb;
    private final String summaryTable;
    private final IdBuckets buckets;
    private final Duration budget;

    StripeFolder(DynamoDbClient dynamoDb, String summaryTable, IdBuckets buckets) {
        this(dynamoDb, summaryTable, buckets, FOLD_BUDGET);
    }

    StripeFolder(DynamoDbClient dynamoDb, String summaryTable, IdBuckets buckets, Duration budget) {
        this.dynamoDb = dynamoDb;
        this.summaryTable = summaryTable;
        this.buckets = buckets;
        this.budget = budget;
    }

    /**
     * After a list: folds the coarse buckets, below the newest one that has stripes, with the most
     * stripes in groups that may be folded now, most first: up to {@link #MOST_BUCKETS_A_LIST},
     * the second and later only while the list's folds have taken less than the budget. Returns
     * the stripes folded (0 if none was due).
     */
    int afterList(SummaryPartitions.Coarse coarse, Instant now) {
        long started = System.nanoTime();
        Set<Long> done = new HashSet<>();
        int folded = 0;
        while (done.size() < MOST_BUCKETS_A_LIST && (done.isEmpty() || System.nanoTime() - started < budget.toNanos())) {
            long chosen = mostDue(coarse, now, done);
            if (chosen < 0) {
                break;
            }
            done.add(chosen);
            folded += fold(chosen, now);
        }
        if (folded == 0 && !deleteOneExpired(coarse, now)) {
            pruneLives(coarse, now);
        }
        return folded;
    }

    /** Folded summaries a list rewrites without their old lives at most, when it has nothing to fold. */
    static final int MOST_PRUNED_A_LIST = 4;

    /**
     * Rewrites folded summaries without the records of lives ({@code k<group>}) older than
     * {@link #KEEP_LIVES}: a list needs them only within its read window, and a bucket nothing
     * writes any more would else carry the 64 lives of each group, about 5 KB, in every list's read
     * for ever. Each on condition that it is still the version read; a fold that comes first wins.
     */
    private void pruneLives(SummaryPartitions.Coarse coarse, Instant now) {
        int pruned = 0;
        for (Map.Entry<Long, Map<String, AttributeValue>> bucket : coarse.folded().entrySet()) {
            if (pruned >= MOST_PRUNED_A_LIST) {
                return;
            }
            Map<String, AttributeValue> item = bucket.getValue();
            Map<String, AttributeValue> next = new HashMap<>(item);
            next.keySet().removeIf(name -> name.startsWith(SummaryTableSchema.FOLDED_LIVES_PREFIX)
                    && livesAreOld(item, name.substring(SummaryTableSchema.FOLDED_LIVES_PREFIX.length()), now));
            if (next.size() == item.size()) {
                continue;
            }
            next.put(SummaryTableSchema.FOLDED_VERSION, n(version(item) + 1));
            Expression expression = new Expression();
            String condition = expression.name(SummaryTableSchema.FOLDED_VERSION) + " = "
                    + expression.value(item.get(SummaryTableSchema.FOLDED_VERSION));
            try {
                dynamoDb.putItem(r -> r.tableName(summaryTable).item(next).conditionExpression(condition)
                        .expressionAttributeNames(expression.names()).expressionAttributeValues(expression.values()));
            } catch (ConditionalCheckFailedException e) {
                // a fold came first: it keeps only lives younger than KEEP_LIVES itself
            }
            pruned++;
        }
    }

    /** Whether the lives a group's last fold recorded are older than {@link #KEEP_LIVES}. */
    private static boolean livesAreOld(Map<String, AttributeValue> folded, String group, Instant now) {
        AttributeValue time = folded.get(SummaryTableSchema.FOLD_TIME_PREFIX + group);
        return time == null || now.toEpochMilli() - Long.parseLong(time.n()) >= KEEP_LIVES.toMillis();
    }

    /** The coarse bucket below the newest, not among {@code done}, with the most stripes that may be folded now; -1 if none. */
    private long mostDue(SummaryPartitions.Coarse coarse, Instant now, Set<Long> done) {
        long newest = coarse.stripesByGroup().keySet().stream().mapToLong(Long::longValue).max().orElse(Long.MIN_VALUE);
        long chosen = -1;
        int most = 0;
        for (Map.Entry<Long, int[]> bucket : coarse.stripesByGroup().entrySet()) {
            if (bucket.getKey() >= newest || done.contains(bucket.getKey())) {
                continue;
            }
            int due = 0;
            for (int group = 0; group < bucket.getValue().length; group++) {
                if (mayFold(coarse.folded().get(bucket.getKey()), group, now)) {
                    due += bucket.getValue()[group];
                }
            }
            if (due > most) {
                most = due;
                chosen = bucket.getKey();
            }
        }
        return chosen;
    }

    /**
     * {@link #afterList}, whose failure leaves the list's answer as it is: a DynamoDB error here
     * costs only the fold, which the next list tries again.
     */
    void afterListQuietly(SummaryPartitions.Coarse coarse, Instant now) {
        try {
            afterList(coarse, now);
        } catch (SdkException e) {
            // the answer is already exact; the stripes stay until a later list folds them
        }
    }

    /**
     * Folds each group of a coarse bucket's stripes that may be folded now, one transaction a
     * group. A transaction that another write cancels is left for a later fold. Returns the
     * stripes folded.
     */
    int fold(long coarseBucket, Instant now) {
        List<List<Map<String, AttributeValue>>> groups = new ArrayList<>();
        for (int group = 0; group < buckets.foldGroups(); group++) {
            groups.add(new ArrayList<>());
        }
        long first = coarseBucket * buckets.stripes();
        SummaryPartitions.readAll(dynamoDb, summaryTable,
                SummaryPartitions.parts(buckets.summaryPartitions(), SummaryTableSchema::coarsePart),
                first, first + buckets.stripes() - 1, page -> page.items().stream()
                        // a stripe no write of this layout has touched yet has no life: it waits for one
                        .filter(item -> item.containsKey(SummaryTableSchema.STRIPE_LIFE))
                        .forEach(item -> groups.get(IdBuckets.foldGroup(buckets.stripeOfSortKey(
                                Long.parseLong(item.get(SummaryTableSchema.BUCKET).n())))).add(item)));
        Map<String, AttributeValue> folded = dynamoDb.getItem(r -> r.tableName(summaryTable)
                .key(IdBuckets.foldedKey(coarseBucket)).consistentRead(true)).item();
        if (folded != null && folded.isEmpty()) {
            folded = null;
        }
        int done = 0;
        for (int group = 0; group < groups.size(); group++) {
            List<Map<String, AttributeValue>> stripes = groups.get(group);
            if (stripes.isEmpty() || !mayFold(folded, group, now)) {
                continue;
            }
            Map<String, AttributeValue> next = folded(coarseBucket, folded, group, stripes, now);
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(put(next, folded));
            stripes.forEach(stripe -> writes.add(delete(stripe)));
            try {
                dynamoDb.transactWriteItems(r -> r.transactItems(writes));
            } catch (TransactionCanceledException e) {
                return done; // a create, a PATCH or another fold came first: a later list folds
            }
            folded = next;
            done += stripes.size();
        }
        return done;
    }

    /**
     * Deletes a folded summary whose codes have all expired more than {@link #KEEP_EXPIRED} ago
     * and whose bucket has no stripe: no write can come to it any more (a PATCH needs a live
     * code), and a list counts nothing of it. Lists then read one item fewer for ever.
     */
    private boolean deleteOneExpired(SummaryPartitions.Coarse coarse, Instant now) {
        for (Map.Entry<Long, Map<String, AttributeValue>> bucket : coarse.folded().entrySet()) {
            if (coarse.stripesByGroup().containsKey(bucket.getKey()) || !allExpired(bucket.getValue(), now)) {
                continue;
            }
            Map<String, AttributeValue> item = bucket.getValue();
            Expression expression = new Expression();
            String condition = expression.name(SummaryTableSchema.FOLDED_VERSION) + " = "
                    + expression.value(item.get(SummaryTableSchema.FOLDED_VERSION));
            try {
                dynamoDb.deleteItem(r -> r.tableName(summaryTable).key(IdBuckets.foldedKey(bucket.getKey()))
                        .conditionExpression(condition).expressionAttributeNames(expression.names())
                        .expressionAttributeValues(expression.values()));
            } catch (ConditionalCheckFailedException e) {
                // a fold came first: a later list looks again
            }
            return true;
        }
        return false;
    }

    /** Whether every expiry count of a folded summary is of an hour over {@link #KEEP_EXPIRED} past. */
    private static boolean allExpired(Map<String, AttributeValue> folded, Instant now) {
        for (String name : folded.keySet()) {
            if (name.startsWith(SummaryTableSchema.EXPIRY_PREFIX) && !expiredLongAgo(name, now)) {
                return false;
            }
        }
        return true;
    }

    /** Whether an expiry count ({@code e<hour>}) is of an hour over {@link #KEEP_EXPIRED} past. */
    private static boolean expiredLongAgo(String expiryCount, Instant now) {
        long hour = Long.parseLong(expiryCount.substring(SummaryTableSchema.EXPIRY_PREFIX.length()));
        return (hour + 1) * IdBuckets.SECONDS_PER_HOUR < now.minus(KEEP_EXPIRED).getEpochSecond();
    }

    /** Whether the group's last fold is at least {@link #SPACING} ago. */
    private static boolean mayFold(Map<String, AttributeValue> folded, int group, Instant now) {
        AttributeValue time = folded == null ? null : folded.get(SummaryTableSchema.FOLD_TIME_PREFIX + group);
        return time == null || now.toEpochMilli() - Long.parseLong(time.n()) >= SPACING.toMillis();
    }

    /** The folded summary after a fold of {@code stripes}, the stripes of {@code group}. */
    private Map<String, AttributeValue> folded(long coarseBucket, Map<String, AttributeValue> old, int group,
            List<Map<String, AttributeValue>> stripes, Instant now) {
        Map<String, Long> counts = new HashMap<>();
        if (old != null) {
            SummaryPartitions.addCounts(counts, old);
        }
        stripes.forEach(stripe -> SummaryPartitions.addCounts(counts, stripe));
        Map<String, AttributeValue> next = new HashMap<>(IdBuckets.foldedKey(coarseBucket));
        counts.forEach((name, count) -> {
            // a zero adds nothing to a list; nor do codes expired over a day ago
            boolean expired = name.startsWith(SummaryTableSchema.EXPIRY_PREFIX) && expiredLongAgo(name, now);
            if (count != 0 && !expired) {
                next.put(name, n(count));
            }
        });
        for (int other = 0; other < buckets.foldGroups(); other++) {
            String time = SummaryTableSchema.FOLD_TIME_PREFIX + other;
            String lives = SummaryTableSchema.FOLDED_LIVES_PREFIX + other;
            if (other == group) {
                next.put(time, n(now.toEpochMilli()));
                next.put(lives, AttributeValue.fromNs(stripes.stream().map(s -> s.get(SummaryTableSchema.STRIPE_LIFE).n()).toList()));
            } else if (old != null && old.containsKey(time)) {
                next.put(time, old.get(time));
                if (old.containsKey(lives) && now.toEpochMilli() - Long.parseLong(old.get(time).n()) < KEEP_LIVES.toMillis()) {
                    next.put(lives, old.get(lives));
                }
            }
        }
        next.put(SummaryTableSchema.FOLDED_VERSION, n(version(old) + 1));
        return next;
    }

    private static long version(Map<String, AttributeValue> folded) {
        return folded == null ? 0 : Long.parseLong(folded.get(SummaryTableSchema.FOLDED_VERSION).n());
    }

    /** Puts the folded summary, on condition that it is still the one read (or still absent). */
    private TransactWriteItem put(Map<String, AttributeValue> next, Map<String, AttributeValue> old) {
        Expression expression = new Expression();
        String condition = old == null ? "attribute_not_exists(" + expression.name(SummaryTableSchema.PART) + ")"
                : expression.name(SummaryTableSchema.FOLDED_VERSION) + " = " + expression.value(old.get(SummaryTableSchema.FOLDED_VERSION));
        return TransactWriteItem.builder().put(p -> p.tableName(summaryTable).item(next).conditionExpression(condition)
                .expressionAttributeNames(expression.names()).expressionAttributeValues(expression.values())).build();
    }

    /** Deletes a stripe, on condition that it is still the state read. */
    private TransactWriteItem delete(Map<String, AttributeValue> stripe) {
        Expression expression = new Expression();
        String condition = expression.name(SummaryTableSchema.STRIPE_LIFE) + " = "
                + expression.value(stripe.get(SummaryTableSchema.STRIPE_LIFE)) + " AND "
                + expression.name(SummaryTableSchema.STRIPE_VERSION) + " = " + expression.value(stripe.get(SummaryTableSchema.STRIPE_VERSION));
        Map<String, AttributeValue> key = Map.of(SummaryTableSchema.PART, stripe.get(SummaryTableSchema.PART),
                SummaryTableSchema.BUCKET, stripe.get(SummaryTableSchema.BUCKET));
        return TransactWriteItem.builder().delete(d -> d.tableName(summaryTable).key(key).conditionExpression(condition)
                .expressionAttributeNames(expression.names()).expressionAttributeValues(expression.values())).build();
    }
}
