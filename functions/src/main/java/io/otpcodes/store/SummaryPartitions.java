package io.otpcodes.store;

import static io.otpcodes.store.DynamoDbOtpCodeRepository.n;
import static io.otpcodes.store.DynamoDbOtpCodeRepository.s;

import io.otpcodes.domain.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/** The reads of the summary table the lists share: a partition, page by page, the coarse level and the ready marker. */
final class SummaryPartitions {

    private SummaryPartitions() {
    }

    /** Every page of one partition, strongly consistent. */
    static void readAll(DynamoDbClient dynamoDb, String summaryTable, String part, Consumer<Pages.Page> each) {
        readAll(dynamoDb, summaryTable, part, Long.MIN_VALUE, Long.MAX_VALUE, each);
    }

    /** Every page of one partition, its sort keys from {@code low} to {@code high}, strongly consistent. */
    static void readAll(DynamoDbClient dynamoDb, String summaryTable, String part, long low, long high,
            Consumer<Pages.Page> each) {
        Map<String, String> names = new HashMap<>(Map.of("#part", SummaryTableSchema.PART));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":part", s(part)));
        String keyCondition = "#part = :part";
        if (low != Long.MIN_VALUE || high != Long.MAX_VALUE) {
            keyCondition += " AND #bucket BETWEEN :low AND :high";
            names.put("#bucket", SummaryTableSchema.BUCKET);
            values.put(":low", n(low));
            values.put(":high", n(high));
        }
        String condition = keyCondition;
        Pages.readAll(from -> Pages.Page.of(dynamoDb.query(r -> r.tableName(summaryTable).consistentRead(true)
                .keyConditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)
                .exclusiveStartKey(from).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))), each);
    }

    /** Every page of the partitions of one family of items, one after another. */
    static void readAll(DynamoDbClient dynamoDb, String summaryTable, List<String> parts, long low, long high,
            Consumer<Pages.Page> each) {
        for (String part : parts) {
            readAll(dynamoDb, summaryTable, part, low, high, each);
        }
    }

    /** The partition keys of one family of items: {@code part} of each of its {@code count} partition numbers. */
    static List<String> parts(int count, IntFunction<String> part) {
        List<String> parts = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            parts.add(part.apply(p));
        }
        return parts;
    }

    /**
     * The longest a list may take from its first stripe read to its read of the folded summaries:
     * folds of one group of stripes are at least {@link StripeFolder#SPACING} apart, so at most
     * one of them can fall between the two reads, and its record of what it deleted tells the
     * list which stripes it read are in the folded summary already.
     */
    static final Duration READ_WINDOW = Duration.ofSeconds(10);
    static final int READ_ATTEMPTS = 3;

    /**
     * The coarse level as read: the ready marker (or null), each coarse bucket's counts (its
     * folded summary and its stripes summed), each bucket's folded summary and its stripes counted
     * by fold group (for the folder), and which stripes each bucket has (for a bucket no fold has
     * touched, the quanta that may hold codes).
     */
    record Coarse(Map<String, AttributeValue> marker, List<Map<String, AttributeValue>> buckets,
            Map<Long, Map<String, AttributeValue>> folded, Map<Long, int[]> stripesByGroup, Map<Long, Set<Integer>> stripes) {

        /** Whether every code is counted in this layout: else lists fall back to a Scan. */
        boolean ready() {
            AttributeValue layout = marker == null ? null : marker.get(SummaryTableSchema.LAYOUT);
            return layout != null && Long.parseLong(layout.n()) == OtpTableSchema.LAYOUT;
        }
    }

    /**
     * Reads every stripe of every coarse bucket, then the folded summaries, and sums them: one
     * item a coarse bucket, as if it were a single summary, with its bucket number as sort key.
     * The stripes are read first: a fold that comes between deletes stripe items the list has
     * read and adds them to a folded summary it reads after, and records which lives of them it
     * deleted; the list does not add those twice. A read that took longer than
     * {@link #READ_WINDOW} (two folds of a group could have come between) is read again.
     */
    static Coarse readCoarse(DynamoDbClient dynamoDb, String summaryTable, IdBuckets buckets, Consumer<Pages.Page> each) {
        return readCoarse(dynamoDb, summaryTable, buckets, each, () -> { });
    }

    /** {@link #readCoarse(DynamoDbClient, String, IdBuckets, Consumer)}, running {@code betweenReads} after the stripes are read (tests fold there). */
    static Coarse readCoarse(DynamoDbClient dynamoDb, String summaryTable, IdBuckets buckets, Consumer<Pages.Page> each,
            Runnable betweenReads) {
        return readCoarse(dynamoDb, summaryTable, buckets, each, betweenReads, READ_WINDOW);
    }

    /**
     * The same within {@code window} (tests shorten it).
     *
     * @throws StoreUnavailableException when {@link #READ_ATTEMPTS} reads in a row took longer
     */
    static Coarse readCoarse(DynamoDbClient dynamoDb, String summaryTable, IdBuckets buckets, Consumer<Pages.Page> each,
            Runnable betweenReads, Duration window) {
        for (int attempt = 1; ; attempt++) {
            long start = System.nanoTime();
            List<Pages.Page> stripes = new ArrayList<>();
            readAll(dynamoDb, summaryTable, parts(buckets.summaryPartitions(), SummaryTableSchema::coarsePart), Long.MIN_VALUE,
                    Long.MAX_VALUE, stripes::add);
            betweenReads.run();
            List<Pages.Page> folded = new ArrayList<>();
            readAll(dynamoDb, summaryTable, SummaryTableSchema.FOLDED_PART, folded::add);
            boolean inTime = System.nanoTime() - start <= window.toNanos();
            stripes.forEach(each);
            folded.forEach(each);
            if (inTime) {
                return sum(buckets, stripes, folded);
            }
            if (attempt == READ_ATTEMPTS) {
                throw new StoreUnavailableException("reading the coarse summaries took over " + window + ", " + READ_ATTEMPTS
                        + " times in a row");
            }
        }
    }

    /** The folded summaries plus the stripes not folded into them. */
    private static Coarse sum(IdBuckets buckets, List<Pages.Page> stripes, List<Pages.Page> folded) {
        Map<Long, Map<String, AttributeValue>> foldedByBucket = new HashMap<>();
        TreeMap<Long, Map<String, Long>> sums = new TreeMap<>();
        for (Pages.Page page : folded) {
            for (Map<String, AttributeValue> item : page.items()) {
                long bucket = Long.parseLong(item.get(SummaryTableSchema.BUCKET).n());
                foldedByBucket.put(bucket, item);
                addCounts(sums.computeIfAbsent(bucket, c -> new HashMap<>()), item);
            }
        }
        Map<String, AttributeValue> marker = null;
        Map<Long, int[]> stripesByGroup = new HashMap<>();
        Map<Long, Set<Integer>> stripesByBucket = new HashMap<>();
        for (Pages.Page page : stripes) {
            for (Map<String, AttributeValue> item : page.items()) {
                long sortKey = Long.parseLong(item.get(SummaryTableSchema.BUCKET).n());
                if (sortKey == SummaryTableSchema.READY_MARKER) {
                    marker = item;
                    continue;
                }
                long bucket = buckets.coarseOfStripe(sortKey);
                int stripe = buckets.stripeOfSortKey(sortKey);
                stripesByBucket.computeIfAbsent(bucket, b -> new HashSet<>()).add(stripe);
                int group = IdBuckets.foldGroup(stripe);
                if (!folded(item, foldedByBucket.get(bucket), group)) {
                    addCounts(sums.computeIfAbsent(bucket, c -> new HashMap<>()), item);
                    stripesByGroup.computeIfAbsent(bucket, c -> new int[buckets.foldGroups()])[group]++;
                }
            }
        }
        List<Map<String, AttributeValue>> merged = new ArrayList<>();
        sums.forEach((bucket, counts) -> {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put(SummaryTableSchema.BUCKET, n(bucket));
            counts.forEach((name, count) -> item.put(name, n(count)));
            merged.add(item);
        });
        return new Coarse(marker, merged, foldedByBucket, stripesByGroup, stripesByBucket);
    }

    /**
     * Whether the last fold of the stripe's group deleted this life of it: then the folded summary
     * holds the state the fold read, which is this one or a later one (the fold deleted it on
     * condition it was still that state, and no write comes to a life after its deletion).
     */
    private static boolean folded(Map<String, AttributeValue> stripe, Map<String, AttributeValue> folded, int group) {
        AttributeValue life = stripe.get(SummaryTableSchema.STRIPE_LIFE);
        AttributeValue lives = folded == null ? null : folded.get(SummaryTableSchema.FOLDED_LIVES_PREFIX + group);
        return life != null && lives != null && lives.ns().contains(life.n());
    }

    /** Adds an item's counts to {@code counts}. */
    static void addCounts(Map<String, Long> counts, Map<String, AttributeValue> item) {
        item.forEach((name, value) -> {
            if (SummaryTableSchema.isCount(name)) {
                counts.merge(name, Long.parseLong(value.n()), Long::sum);
            }
        });
    }
}
