package io.otpcodes.store;

import static io.otpcodes.store.DynamoDbOtpCodeRepository.n;
import static io.otpcodes.store.DynamoDbOtpCodeRepository.s;

import io.otpcodes.domain.ListFilter;
import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.OtpCodeRepository.Listing;
import io.otpcodes.domain.PageCollector;
import io.otpcodes.domain.ReadStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * The lists that must look at every code (a search, an order other than id, a filter the
 * summaries do not count), in one pass over the codes' lines ({@link CodeLines}) rather than
 * over the codes: one Query of each coarse bucket's lines, several at once, every filter and
 * the search judged in memory, and only offset + limit codes kept ({@link PageCollector}).
 */
final class LinesListReader {

    private final DynamoDbClient dynamoDb;
    private final String summaryTable;
    private final IdBuckets buckets;

    LinesListReader(DynamoDbClient dynamoDb, String summaryTable, IdBuckets buckets) {
        this.dynamoDb = dynamoDb;
        this.summaryTable = summaryTable;
        this.buckets = buckets;
    }

    /** The page, or empty when the lines do not hold every code yet (an older table before its backfill). */
    Optional<Listing> read(ListQuery query, Instant now) {
        Pass summaries = new Pass(query, now);
        List<Map<String, AttributeValue>> coarse = new ArrayList<>();
        query(SummaryTableSchema.COARSE_PART, Long.MIN_VALUE, Long.MAX_VALUE, summaries, coarse::addAll);
        if (coarse.isEmpty() || !isReady(coarse.get(0))) {
            return Optional.empty();
        }
        ListFilter filter = query.filter();
        long idMin = filter.idMin() == null ? Long.MIN_VALUE : filter.idMin();
        long idMax = filter.idMax() == null ? Long.MAX_VALUE : filter.idMax();
        List<CompletableFuture<Pass>> reads = new ArrayList<>();
        for (Map<String, AttributeValue> item : coarse.subList(1, coarse.size())) {
            long bucket = Long.parseLong(item.get(SummaryTableSchema.BUCKET).n());
            long low = Math.max(bucket * buckets.coarse(), idMin);
            long high = Math.min(bucket * buckets.coarse() + buckets.coarse() - 1, idMax);
            if (low <= high && hasLiveCodes(item, now)) {
                reads.add(CompletableFuture.supplyAsync(() -> {
                    Pass pass = new Pass(query, now);
                    query(SummaryTableSchema.linesPart(bucket), buckets.linesBucket(low), buckets.linesBucket(high), pass,
                            pass::read);
                    return pass;
                }, ParallelReads.POOL));
            }
        }
        try {
            for (CompletableFuture<Pass> read : reads) {
                summaries.add(read.join());
            }
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return Optional.of(new Listing(summaries.collector.count(), summaries.collector.page(),
                new ReadStats("Lines", null, summaries.capacity, summaries.items, summaries.pages)));
    }

    private static boolean isReady(Map<String, AttributeValue> item) {
        AttributeValue ready = item.get(SummaryTableSchema.LINES_READY);
        return Long.parseLong(item.get(SummaryTableSchema.BUCKET).n()) == SummaryTableSchema.READY_MARKER
                && ready != null && Boolean.TRUE.equals(ready.bool());
    }

    /** Whether a coarse bucket's expiry counts leave any code alive in the hour of {@code now} or later. */
    private static boolean hasLiveCodes(Map<String, AttributeValue> coarse, Instant now) {
        long nowHour = Math.floorDiv(now.getEpochSecond(), IdBuckets.SECONDS_PER_HOUR);
        for (Map.Entry<String, AttributeValue> attribute : coarse.entrySet()) {
            String name = attribute.getKey();
            if (name.startsWith(SummaryTableSchema.EXPIRY_PREFIX) && Long.parseLong(name.substring(1)) >= nowHour
                    && Long.parseLong(attribute.getValue().n()) > 0) {
                return true;
            }
        }
        return false;
    }

    /** Every page of one partition of the summary table, its sort keys from {@code low} to {@code high}. */
    private void query(String part, long low, long high, Pass pass, Consumer<List<Map<String, AttributeValue>>> each) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":part", s(part));
        String keyCondition = "#part = :part";
        if (low != Long.MIN_VALUE || high != Long.MAX_VALUE) {
            keyCondition += " AND #bucket BETWEEN :low AND :high";
            values.put(":low", n(low));
            values.put(":high", n(high));
        }
        Map<String, String> names = keyCondition.contains("#bucket")
                ? Map.of("#part", SummaryTableSchema.PART, "#bucket", SummaryTableSchema.BUCKET)
                : Map.of("#part", SummaryTableSchema.PART);
        String condition = keyCondition;
        Pages.readAll(from -> Pages.Page.of(dynamoDb.query(r -> r.tableName(summaryTable).consistentRead(true)
                .keyConditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)
                .exclusiveStartKey(from).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))), page -> {
                    pass.account(page);
                    each.accept(page.items());
                });
    }

    /** One reader's share of a list: the codes it kept and what reading them cost. */
    private static final class Pass {
        final PageCollector collector;
        final ListFilter filter;
        final Instant now;
        final long nowSecond;
        double capacity;
        int items;
        int pages;

        Pass(ListQuery query, Instant now) {
            this.collector = new PageCollector(query);
            this.filter = query.filter();
            this.now = now;
            this.nowSecond = now.getEpochSecond();
        }

        void account(Pages.Page page) {
            items += page.items().size();
            pages++;
            capacity += page.capacity();
        }

        void read(List<Map<String, AttributeValue>> linesItems) {
            for (Map<String, AttributeValue> item : linesItems) {
                for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
                    if (!CodeLines.isLine(attribute.getKey())) {
                        continue;
                    }
                    CodeLines.Line line = CodeLines.parse(attribute.getKey(), attribute.getValue().s());
                    // past its TTL is gone, as in the OTP table
                    if (line.expiresAt() > nowSecond && filter.keeps(line.code(), now)) {
                        collector.offer(line.code());
                    }
                }
            }
        }

        void add(Pass other) {
            collector.addAll(other.collector);
            items += other.items;
            pages += other.pages;
            capacity += other.capacity;
        }
    }
}
