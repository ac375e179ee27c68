package io.otpcodes.store;

import io.otpcodes.domain.ListFilter;
import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeRepository.Listing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The lists that must look at every code (a search, an order other than id, a filter the
 * summaries do not count), in one pass over the codes' lines ({@link CodeLines}) rather than
 * over the codes: one Query of each coarse bucket's lines, several at once, every filter and
 * the search judged in memory, and only offset + limit codes kept, in one collector for all the
 * readers (the list's memory does not grow with the coarse buckets).
 */
final class LinesListReader {

    private final DynamoDbClient dynamoDb;
    private final String summaryTable;
    private final IdBuckets buckets;
    private final StripeFolder folder;

    LinesListReader(DynamoDbClient dynamoDb, String summaryTable, IdBuckets buckets, StripeFolder folder) {
        this.dynamoDb = dynamoDb;
        this.summaryTable = summaryTable;
        this.buckets = buckets;
        this.folder = folder;
    }

    /** The page, or empty when the lines do not hold every code yet (an older table before its backfill). */
    Optional<Listing> read(ListQuery query, Instant now) {
        ListPass all = new ListPass(query);
        SummaryPartitions.Coarse coarse = SummaryPartitions.readCoarse(dynamoDb, summaryTable, buckets, all::account);
        if (!coarse.ready()) {
            return Optional.empty();
        }
        ListFilter filter = query.filter();
        long idMin = filter.idMin() == null ? Long.MIN_VALUE : filter.idMin();
        long idMax = filter.idMax() == null ? Long.MAX_VALUE : filter.idMax();
        List<Supplier<Void>> reads = new ArrayList<>();
        for (Map<String, AttributeValue> item : coarse.buckets()) {
            long bucket = Long.parseLong(item.get(SummaryTableSchema.BUCKET).n());
            long low = Math.max(bucket * buckets.coarse(), idMin);
            long high = Math.min(bucket * buckets.coarse() + buckets.coarse() - 1, idMax);
            if (low <= high && hasLiveCodes(item, now)) {
                reads.add(() -> {
                    SummaryPartitions.readAll(dynamoDb, summaryTable, SummaryPartitions.parts(buckets.linesPartitions(), p -> SummaryTableSchema.linesPart(bucket, p)),
                            buckets.linesBucket(low), buckets.linesBucket(high), page -> {
                                all.account(page);
                                all.offer(liveLines(page.items(), filter, now));
                            });
                    return null;
                });
            }
        }
        ParallelRequests.runAll(reads);
        folder.afterListQuietly(coarse, now);
        return Optional.of(new Listing(all.count(), all.page(), all.stats("Lines", null)));
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

    /** The live codes of some lines items that the filter keeps. */
    private static List<OtpCode> liveLines(List<Map<String, AttributeValue>> linesItems, ListFilter filter, Instant now) {
        long nowSecond = now.getEpochSecond();
        List<OtpCode> codes = new ArrayList<>();
        for (Map<String, AttributeValue> item : linesItems) {
            for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
                if (!CodeLines.isLine(attribute.getKey())) {
                    continue;
                }
                CodeLines.Line line = CodeLines.parse(attribute.getKey(), attribute.getValue().s());
                // past its TTL is gone, as in the OTP table
                if (line.expiresAt() > nowSecond && filter.keeps(line.code(), now)) {
                    codes.add(line.code());
                }
            }
        }
        return codes;
    }
}
