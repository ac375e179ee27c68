package io.otpcodes.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeRepository.Listing;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * What a list reads, measured by DynamoDB Local's ReturnConsumedCapacity on 10,000 codes written
 * as the previous version wrote them (no id_bucket, no summaries), then counted by the backfill.
 */
class ListReadCostTest {

    static final int CODES = 10_000;
    static final String TARGET = "09127777777";
    static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

    private static TestStack stack;
    private static DynamoDbOtpCodeRepository repository;
    private static Listing beforeBackfill;
    private static SummaryBackfill.Result backfill;
    private static Listing firstList;
    private static Listing secondList;
    private static int stripesBeforeTheFirstList;
    private static int stripesAfterIt;

    @BeforeAll
    static void setUp() {
        stack = LocalDynamoDb.newStack();
        var settings = stack.settings();
        repository = new DynamoDbOtpCodeRepository(stack.dynamoDb(), settings);
        List<WriteRequest> batch = new ArrayList<>();
        for (int id = 1; id <= CODES; id++) {
            String mobile = id % 2000 == 0 ? TARGET : String.format("0912%07d", id);
            boolean email = id % 3 == 0 && id % 2000 != 0;
            OtpCode code = new OtpCode(id, 100000 + id, email ? null : mobile, email ? "user" + id + "@example.com" : null,
                    NOW.plusSeconds(600), NOW.minusSeconds(CODES - id), NOW.minusSeconds(CODES - id));
            Map<String, AttributeValue> item = new HashMap<>(repository.toItem(code));
            item.remove(OtpTableSchema.VERSION);
            item.remove(OtpTableSchema.COUNTED);
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            if (batch.size() == 25) {
                write(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            write(batch);
        }
        beforeBackfill = repository.list(query(Map.of("limit", "3", "offset", "10")), NOW);
        backfill = new SummaryBackfill(stack.dynamoDb(), settings.otpTableName(), settings.summaryTableName(),
                IdBuckets.DEFAULT).run(NOW);
        stripesBeforeTheFirstList = stripeItems();
        firstList = repository.list(query(Map.of()), NOW);
        stripesAfterIt = stripeItems();
        secondList = repository.list(query(Map.of()), NOW);
    }

    private static int stripeItems() {
        int[] count = new int[1];
        SummaryPartitions.readAll(stack.dynamoDb(), stack.settings().summaryTableName(),
                SummaryPartitions.parts(IdBuckets.DEFAULT.summaryPartitions(), SummaryTableSchema::coarsePart),
                0, Long.MAX_VALUE, page -> count[0] += page.items().size());
        return count[0];
    }

    private static void write(List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> unprocessed = Map.of(stack.otpTable(), batch);
        while (!unprocessed.isEmpty()) {
            Map<String, List<WriteRequest>> request = unprocessed;
            unprocessed = stack.dynamoDb().batchWriteItem(r -> r.requestItems(request)).unprocessedItems();
        }
    }

    private static ListQuery query(Map<String, String> params) {
        return ListQuery.parse(params, 100);
    }

    private static double oneItemRead() {
        return stack.dynamoDb().getItem(r -> r.tableName(stack.otpTable())
                .key(Map.of("id", AttributeValue.fromN("2000")))
                .returnConsumedCapacity("TOTAL")).consumedCapacity().capacityUnits();
    }

    @Test
    void beforeTheBackfill_aListInIdOrder_scansAndIsStillRight() {
        assertThat(beforeBackfill.stats().operation()).isEqualTo("Scan");
        assertThat(beforeBackfill.count()).isEqualTo(CODES);
        assertThat(beforeBackfill.page()).extracting(OtpCode::id).containsExactly(11L, 12L, 13L);
    }

    @Test
    void backfill_countsEveryCodeOnce_inTransactionsOfOneFineBucket_andMarksReady() {
        assertThat(backfill.codesCounted()).isEqualTo(CODES);
        assertThat(backfill.markedReady()).isTrue();
        // one transaction a lines item: ids 1 to 10,000 are in 401
        assertThat(backfill.transactions()).isEqualTo(CODES / IdBuckets.DEFAULT.lines() + 1);

        SummaryBackfill.Result again = new SummaryBackfill(stack.dynamoDb(), stack.settings().otpTableName(),
                stack.settings().summaryTableName(), IdBuckets.DEFAULT).run(NOW);
        assertThat(again.codesCounted()).isZero();
        assertThat(repository.list(query(Map.of()), NOW).count()).isEqualTo(CODES);
    }

    @Test
    void mobileNumberList_onTenThousandCodes_readsNoMoreThanItsFiveMatches() {
        Listing listing = repository.list(query(Map.of("mobile_number", TARGET)), NOW);

        assertThat(listing.page()).hasSize(5).allMatch(c -> c.mobileNumber().equals(TARGET));
        assertThat(listing.stats().operation()).isEqualTo("Query");
        assertThat(listing.stats().index()).isEqualTo(OtpTableSchema.MOBILE_NUMBER_INDEX);
        assertThat(listing.stats().consumedCapacity()).isPositive().isLessThanOrEqualTo(5 * oneItemRead());
        assertThat(listing.stats().pages()).isEqualTo(1);
    }

    /**
     * What a view in id order may read at most, once the first list has folded the stripes of
     * ids 0-9,999: the ready marker, that bucket's folded summary, the one stripe of id 10,000, the
     * fine summaries of one coarse bucket (one per quantum: 400; a page near an end of it reads
     * only the first chunk of them), and the lines items of a page of 100 codes (one per 25)
     * twice over; 10,000 codes are stored.
     */
    static final int SUMMARY_VIEW_ITEMS = 1 + 1 + 1 + IdBuckets.DEFAULT.coarse() / IdBuckets.DEFAULT.lines()
            + 2 * (100 / IdBuckets.DEFAULT.lines() + 1);

    @Test
    void theFirstListAfterTheBackfill_readsAsLittleAsTheSteadyState() {
        // the backfill folded the 256 stripes of ids 0-9,999; the newest bucket's one (id 10,000) stays
        assertThat(backfill.stripesFolded()).isEqualTo(IdBuckets.DEFAULT.stripes());
        assertThat(stripesBeforeTheFirstList).isEqualTo(1);
        assertThat(firstList.count()).isEqualTo(CODES);
        assertThat(firstList.stats().itemsRead()).isLessThan(IdBuckets.DEFAULT.stripes())
                .isEqualTo(secondList.stats().itemsRead());
        assertThat(stripesAfterIt).isEqualTo(1);
    }

    @Test
    void unfilteredList_readsSummariesAndOnePage_notTheTable() {
        Listing page = repository.list(query(Map.of()), NOW);
        Listing search = repository.list(query(Map.of("search", "0")), NOW); // a pass over every code's line

        assertThat(page.count()).isEqualTo(CODES);
        assertThat(page.page()).extracting(OtpCode::id).containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
        assertThat(page.stats().operation()).isEqualTo("Summary");
        assertThat(page.stats().itemsRead()).isLessThan(SUMMARY_VIEW_ITEMS)
                .isLessThanOrEqualTo(3 + IdOrderedListReader.CHUNK_QUANTA + 100 / IdBuckets.DEFAULT.lines() + 1);
        // no item read costs more than one unit (4 KB, strongly consistent): each Query of small
        // summaries, and each lines item of the page's quanta (1 unit per 25 codes, read
        // consistently so that the page agrees with the count), all five in one BatchGetItem;
        // 10 requests, 12 units, where a pass over the lines costs 232 and the Scan of the table
        // before the backfill more
        assertThat(page.stats().pages()).isLessThanOrEqualTo(10);
        assertThat(page.stats().consumedCapacity())
                .isLessThanOrEqualTo(page.stats().pages() - 1 + 100 / IdBuckets.DEFAULT.lines() + 1);
        assertThat(page.stats().consumedCapacity()).isLessThan(beforeBackfill.stats().consumedCapacity() / 20)
                .isLessThan(search.stats().consumedCapacity() / 15);
    }

    @Test
    void aPageThatIsNotFull_readsNoFineSummaryPastItsLastCode() {
        Listing listing = repository.list(query(Map.of("id_max", "30")), NOW);

        assertThat(listing.count()).isEqualTo(30);
        assertThat(listing.page()).hasSize(30);
        // the marker, the folded summary and the stripe, the first chunk of fine summaries (in 4
        // partitions), 2 lines items: the other 300 fine summaries of the bucket are not read
        assertThat(listing.stats().itemsRead()).isLessThanOrEqualTo(3 + IdOrderedListReader.CHUNK_QUANTA + 2);
        assertThat(listing.stats().pages()).isLessThanOrEqualTo(5 + 4 + 2);
    }

    @Test
    void deepOffsetsBothWays_andIdRanges_readAboutAPage() {
        Listing deep = repository.list(query(Map.of("offset", "7345", "limit", "5")), NOW);
        Listing newest = repository.list(query(Map.of("ordering", "-id", "offset", "9998", "limit", "5")), NOW);
        Listing range = repository.list(query(Map.of("id_min", "4550", "id_max", "4649", "ordering", "-id")), NOW);

        assertThat(deep.page()).extracting(OtpCode::id).containsExactly(7346L, 7347L, 7348L, 7349L, 7350L);
        assertThat(newest.page()).extracting(OtpCode::id).containsExactly(2L, 1L);
        assertThat(range.count()).isEqualTo(100);
        assertThat(range.page().get(0).id()).isEqualTo(4649L);
        for (Listing listing : List.of(deep, newest, range)) {
            assertThat(listing.stats().operation()).isEqualTo("Summary");
            assertThat(listing.stats().itemsRead()).isLessThan(SUMMARY_VIEW_ITEMS);
        }
    }

    @Test
    void onePassLists_readOneLinesItemPerLinesBucket_andNoMoreBytesThanTheTable() {
        Listing byCode = repository.list(query(Map.of("has_email", "true", "ordering", "-code", "limit", "10")), NOW);
        Listing search = repository.list(query(Map.of("search", "0")), NOW);

        assertThat(byCode.count()).isEqualTo(CODES / 3 - 1);
        assertThat(byCode.page()).extracting(OtpCode::id).first().isEqualTo(9999L);
        assertThat(search.count()).isEqualTo(CODES);
        for (Listing listing : List.of(byCode, search)) {
            assertThat(listing.stats().operation()).isEqualTo("Lines");
            // the ready marker, the folded summary of ids 0-9,999 and the stripe of id 10,000, then
            // the lines items (ids 1 to 10,000: 401)
            assertThat(listing.stats().itemsRead()).isEqualTo(1 + 1 + 1 + CODES / IdBuckets.DEFAULT.lines() + 1);
            // read units count bytes: a line holds about what its code's item does, in one string
            assertThat(listing.stats().consumedCapacity()).isLessThan(beforeBackfill.stats().consumedCapacity());
        }
    }

    /**
     * A one-pass list's heap is bounded by offset + limit codes whatever its parallel readers:
     * they share one collector. With a collector a reader (one a Scan segment, one a coarse
     * bucket's lines) the list held offset + limit codes in each of them, and a merge.
     */
    @Test
    void onePassLists_holdOffsetPlusLimitCodes_inOneCollectorForAllTheirParallelReaders() {
        Listing lines = repository.list(query(Map.of("ordering", "-code", "offset", "50", "limit", "10")), NOW);

        assertThat(beforeBackfill.stats().operation()).isEqualTo("Scan");
        assertThat(beforeBackfill.stats().pages()).isGreaterThanOrEqualTo(FilteredListReader.SCAN_SEGMENTS);
        assertThat(beforeBackfill.stats().codesHeld()).isEqualTo(10 + 3);
        assertThat(lines.stats().operation()).isEqualTo("Lines");
        assertThat(lines.count()).isEqualTo(CODES);
        assertThat(lines.page()).hasSize(10);
        assertThat(lines.stats().codesHeld()).isEqualTo(50 + 10);
    }
}
