package io.otpcodes.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeRepository.Listing;
import io.otpcodes.local.testing.ApiCalls;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A coarse bucket no fold has touched and whose stripes point at few quanta (a quiet table, and
 * the cold start of a list on one) is read through those quanta's lines items in one
 * BatchGetItem: the stripes (4 Queries), the folded summaries (1) and the lines (1), not 4 more
 * Queries of fine summaries. A bucket of more quanta, or one a fold has touched, is read through
 * its fine summaries as before; every view stays exact either way.
 */
class FewQuantaListTest {

    static final Instant NOW = Instant.parse("2025-08-01T12:00:00Z");
    /** The stripes of the coarse level, the folded summaries, one BatchGetItem of lines items. */
    static final int FEW_QUANTA_REQUESTS = IdBuckets.DEFAULT.summaryPartitions() + 1 + 1;
    /** The same, plus one chunk of fine summaries (a Query a partition). */
    static final int FINE_SUMMARY_REQUESTS = FEW_QUANTA_REQUESTS + IdBuckets.DEFAULT.summaryPartitions();

    private TestStack stack;
    private DynamoDbOtpCodeRepository repository;

    @BeforeEach
    void setUp() {
        stack = LocalDynamoDb.newStack();
        var settings = stack.settings();
        repository = new DynamoDbOtpCodeRepository(stack.dynamoDb(), settings.otpTableName(), settings.counterTableName(),
                settings.summaryTableName(), settings.retention(), IdBuckets.DEFAULT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ''                          | 1,2,3,26,51,76,101 | 7
            ordering=-id                | 101,76,51,26,3,2,1 | 7
            offset=2&limit=3            | 3,26,51            | 7
            ordering=-id&offset=5       | 2,1                | 7
            id_min=3&id_max=80          | 3,26,51,76         | 4
            id_min=200                  | ''                 | 0
            """)
    void quietBucket_isReadThroughTheLinesOfItsFewQuanta_inSixRequests(String view, String ids, long count) {
        // five quanta (25 ids each) hold codes: the stripes name them
        insert(1, 2, 3, 26, 51, 76, 101);

        Listing listing = repository.list(ListQuery.parse(ApiCalls.queryParams(view), 100), NOW);

        assertThat(listing.count()).isEqualTo(count);
        assertThat(listing.page()).extracting(OtpCode::id).containsExactlyElementsOf(ids(ids));
        assertThat(listing.stats().operation()).isEqualTo("Summary");
        assertThat(listing.stats().pages()).isEqualTo(FEW_QUANTA_REQUESTS);
    }

    @Test
    void bucketOfMoreThanFewQuanta_isReadThroughItsFineSummaries() {
        long[] ids = LongStream.rangeClosed(0, IdOrderedListReader.FEW_QUANTA).map(q -> 1 + 25 * q).toArray();
        insert(ids);

        Listing listing = repository.list(ListQuery.parse(Map.of("limit", "3"), 100), NOW);

        assertThat(listing.count()).isEqualTo(ids.length);
        assertThat(listing.page()).extracting(OtpCode::id).containsExactly(ids[0], ids[1], ids[2]);
        assertThat(listing.stats().pages()).isEqualTo(FINE_SUMMARY_REQUESTS);
    }

    @Test
    void bucketAFoldTouched_isReadThroughItsFineSummaries_andCountsItsStripesOnce() {
        // two coarse buckets: the first list folds the one below the newest
        insert(1, 2, 26, 10_001, 10_026);
        Listing first = repository.list(ListQuery.parse(Map.of(), 100), NOW);
        assertThat(stack.dynamoDb().getItem(r -> r.tableName(stack.settings().summaryTableName())
                .key(IdBuckets.foldedKey(0)).consistentRead(true)).hasItem()).isTrue();

        Listing afterTheFold = repository.list(ListQuery.parse(Map.of(), 100), NOW);

        assertThat(first.page()).extracting(OtpCode::id).containsExactly(1L, 2L, 26L, 10_001L, 10_026L);
        assertThat(afterTheFold.count()).isEqualTo(5);
        assertThat(afterTheFold.page()).extracting(OtpCode::id).containsExactly(1L, 2L, 26L, 10_001L, 10_026L);
        // bucket 0 by its fine summaries (4 Queries and its lines), bucket 1 by its few quanta's lines
        assertThat(afterTheFold.stats().pages()).isEqualTo(FINE_SUMMARY_REQUESTS + 1);
    }

    @Test
    void quantaWhoseCodesAllExpired_countNothing_thoughTheirStripesStillNameThem() {
        insert(1, 26);
        repository.insert(new OtpCode(51, 100_051, "09120000051", null, NOW.minusSeconds(10), NOW.minusSeconds(200),
                NOW.minusSeconds(200)));

        Listing listing = repository.list(ListQuery.parse(Map.of(), 100), NOW.plus(stack.settings().retention()));

        assertThat(listing.count()).isEqualTo(2);
        assertThat(listing.page()).extracting(OtpCode::id).containsExactly(1L, 26L);
    }

    private void insert(long... ids) {
        for (long id : ids) {
            repository.insert(new OtpCode(id, (int) (100_000 + id), String.format("0912%07d", id), null, NOW.plusSeconds(600),
                    NOW, NOW));
        }
    }

    private static List<Long> ids(String ids) {
        return ids.isEmpty() ? List.of() : Arrays.stream(ids.split(",")).map(Long::valueOf).toList();
    }
}
