package io.otpcodes.store;

import static io.otpcodes.store.DynamoDbOtpCodeRepository.n;
import static io.otpcodes.store.DynamoDbOtpCodeRepository.s;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** The coarse level as read: the ready marker (or null), and each coarse bucket's stripes summed, by bucket. */
    record Coarse(Map<String, AttributeValue> marker, List<Map<String, AttributeValue>> buckets) {

        /** Whether every code is counted in this layout: else lists fall back to a Scan. */
        boolean ready() {
            AttributeValue layout = marker == null ? null : marker.get(SummaryTableSchema.LAYOUT);
            return layout != null && Long.parseLong(layout.n()) == OtpTableSchema.LAYOUT;
        }
    }

    /**
     * Reads every stripe of every coarse bucket and sums them: one item a coarse bucket, as if it
     * were a single summary, with its bucket number as sort key.
     */
    static Coarse readCoarse(DynamoDbClient dynamoDb, String summaryTable, IdBuckets buckets, Consumer<Pages.Page> each) {
        Map<String, AttributeValue> marker = null;
        TreeMap<Long, Map<String, Long>> sums = new TreeMap<>();
        List<Pages.Page> pages = new ArrayList<>();
        readAll(dynamoDb, summaryTable, parts(buckets.summaryPartitions(), SummaryTableSchema::coarsePart), Long.MIN_VALUE,
                Long.MAX_VALUE, pages::add);
        for (Pages.Page page : pages) {
            each.accept(page);
            for (Map<String, AttributeValue> item : page.items()) {
                long sortKey = Long.parseLong(item.get(SummaryTableSchema.BUCKET).n());
                if (sortKey == SummaryTableSchema.READY_MARKER) {
                    marker = item;
                    continue;
                }
                Map<String, Long> counts = sums.computeIfAbsent(buckets.coarseOfStripe(sortKey), c -> new HashMap<>());
                item.forEach((name, value) -> {
                    if (!name.equals(SummaryTableSchema.PART) && !name.equals(SummaryTableSchema.BUCKET)) {
                        counts.merge(name, Long.parseLong(value.n()), Long::sum);
                    }
                });
            }
        }
        List<Map<String, AttributeValue>> merged = new ArrayList<>();
        sums.forEach((bucket, counts) -> {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put(SummaryTableSchema.BUCKET, n(bucket));
            counts.forEach((name, count) -> item.put(name, n(count)));
            merged.add(item);
        });
        return new Coarse(marker, merged);
    }
}
