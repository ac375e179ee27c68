package io.otpcodes.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otpcodes.api.ApiErrors;
import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeInput;
import io.otpcodes.domain.OtpCodeRepository.Listing;
import io.otpcodes.domain.OtpCodeRepository.UpdateResult;
import io.otpcodes.domain.RecipientRequirement;
import io.otpcodes.domain.StoreUnavailableException;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Folding the stripes of coarse buckets that creates have left: a list reads one item for such
 * a bucket, and every count stays exact, even when a fold comes between a list's read of the
 * stripes and its read of the folded summaries, and when a PATCH writes a stripe after a fold.
 * Buckets of 200 ids cut into 130 stripes (three fold groups), every id its own quantum.
 */
class StripeFolderTest {

    static final Instant NOW = Instant.parse("2025-08-01T12:00:00Z");
    static final IdBuckets BUCKETS = new IdBuckets(1, 2, 200, 130, 2, 3);
    static final int CODES = 450;

    private TestStack stack;
    private DynamoDbOtpCodeRepository repository;
    private StripeFolder folder;

    @BeforeEach
    void setUp() {
        stack = LocalDynamoDb.newStack();
        var settings = stack.settings();
        repository = new DynamoDbOtpCodeRepository(stack.dynamoDb(), settings.otpTableName(), settings.counterTableName(),
                settings.summaryTableName(), Duration.ofHours(1), BUCKETS);
        folder = new StripeFolder(stack.dynamoDb(), settings.summaryTableName(), BUCKETS);
        for (int i = 1; i <= CODES; i++) {
            long id = repository.nextId();
            // expiries spread over five hours, so that counts differ by the hour a list is made at
            repository.insert(new OtpCode(id, 1000 + i, String.format("0912%07d", id), null,
                    NOW.plusSeconds(600 + 3600L * (id % 5) + id), NOW.minusSeconds(60), NOW.minusSeconds(60)));
        }
    }

    @Test
    void lists_foldTheBucketsCreatesLeft_intoOneItemEach_andCountExactly() {
        assertThat(stripes(0)).isEqualTo(BUCKETS.stripes());
        Listing first = list(NOW);
        Listing second = list(NOW);
        Listing third = list(NOW);

        // the lists folded the buckets below the newest; the newest (ids 400-450) keeps its stripes
        assertThat(stripes(0)).isZero();
        assertThat(stripes(1)).isZero();
        assertThat(stripes(2)).isEqualTo(51);
        assertThat(folded(0)).containsKeys("t0", "t1", "t2", "k0", "k1", "k2");
        assertThat(third.stats().itemsRead()).isLessThan(first.stats().itemsRead() - 2 * BUCKETS.stripes() + 10);
        for (Listing listing : List.of(first, second, third)) {
            assertThat(listing.count()).isEqualTo(CODES);
        }
        for (int minutes = 0; minutes <= 6 * 60; minutes += 17) {
            Instant at = NOW.plus(Duration.ofMinutes(minutes));
            assertThat(list(at).count()).as("at " + at).isEqualTo(bruteForceCount(at));
        }
    }

    @Test
    void aFoldBetweenAListsTwoReads_countsEachCodeOnce() {
        Map<Long, Map<String, AttributeValue>> before = coarseSums(() -> { });
        AtomicBoolean folded = new AtomicBoolean();

        Map<Long, Map<String, AttributeValue>> during = coarseSums(() -> {
            if (folded.compareAndSet(false, true)) {
                assertThat(folder.fold(0, NOW)).isEqualTo(BUCKETS.stripes());
            }
        });

        assertThat(folded).isTrue();
        assertThat(during).isEqualTo(before);
        assertThat(coarseSums(() -> { })).isEqualTo(before);
    }

    @Test
    void aStripeChangedAfterTheListReadIt_thenFolded_isCountedAsTheFoldLeftIt() {
        AtomicBoolean interfered = new AtomicBoolean();

        Map<Long, Map<String, AttributeValue>> during = coarseSums(() -> {
            if (interfered.compareAndSet(false, true)) {
                // the stripe of id 5 changes (its code moves to another hour), then its group is folded
                assertThat(patchValidTo(5, NOW.plusSeconds(10 * 3600)).status()).isEqualTo(UpdateResult.Status.UPDATED);
                assertThat(folder.fold(0, NOW)).isEqualTo(BUCKETS.stripes());
            }
        });

        assertThat(interfered).isTrue();
        assertThat(during).isEqualTo(coarseSums(() -> { }));
        for (int hours = 0; hours <= 11; hours++) {
            Instant at = NOW.plusSeconds(3600L * hours + 1800);
            assertThat(list(at).count()).as("at " + at).isEqualTo(bruteForceCount(at));
        }
    }

    @Test
    void aPatchAfterAFold_writesAStripeOfANewLife_thatListsCount() {
        assertThat(folder.fold(0, NOW)).isEqualTo(BUCKETS.stripes());
        assertThat(stripes(0)).isZero();

        patchValidTo(5, NOW.plusSeconds(10 * 3600));
        patchValidTo(7, NOW.minusSeconds(1));

        assertThat(stripes(0)).isEqualTo(2);
        for (int hours = -1; hours <= 11; hours++) {
            Instant at = NOW.plusSeconds(3600L * hours + 1800);
            assertThat(list(at).count()).as("at " + at).isEqualTo(bruteForceCount(at));
        }
    }

    @Test
    void foldsOfOneGroup_areAtLeastAMinuteApart() {
        assertThat(folder.fold(0, NOW)).isEqualTo(BUCKETS.stripes());
        patchValidTo(5, NOW.plusSeconds(10 * 3600));

        assertThat(folder.fold(0, NOW.plusSeconds(30))).isZero();
        assertThat(folder.fold(0, NOW.plusSeconds(61))).isEqualTo(1);
        assertThat(stripes(0)).isZero();
        assertThat(list(NOW.plusSeconds(61)).count()).isEqualTo(bruteForceCount(NOW.plusSeconds(61)));
    }

    @Test
    void folds_dropCountsOfCodesExpiredOverADayAgo_andListsDeleteFoldedSummariesLeftWithNone() {
        // every code's TTL (valid_to + 1 h of retention) is at most 6 h away
        Instant later = NOW.plus(Duration.ofDays(2));
        assertThat(folder.fold(0, NOW)).isEqualTo(BUCKETS.stripes());
        assertThat(folded(0).keySet()).anyMatch(name -> name.startsWith("e"));

        // two days on: the lists fold buckets 1 and 2 (no longer the newest once a code is created
        // in bucket 3) without their dead counts, then delete the folded summaries left empty
        repository.insert(new OtpCode(600, 1, "09120000600", null, later.plusSeconds(600), later, later));
        for (int i = 0; i < 6; i++) {
            assertThat(list(later).count()).isEqualTo(1);
        }

        assertThat(folded(0)).isEmpty();
        assertThat(folded(1)).isEmpty();
        assertThat(folded(2)).isEmpty();
        assertThat(stripes(0) + stripes(1) + stripes(2)).isZero();
        Listing listing = list(later);
        assertThat(listing.count()).isEqualTo(bruteForceCount(later));
        assertThat(listing.page()).extracting(OtpCode::id).containsExactly(600L);
        assertThat(listing.stats().itemsRead()).isLessThan(10);
    }

    @Test
    void coarseReadsThatKeepTakingLongerThanTheWindow_areAnsweredAsUnavailable_notAsAServerError() {
        AtomicInteger reads = new AtomicInteger();
        Runnable slow = () -> {
            reads.incrementAndGet();
            sleep(30);
        };

        assertThatThrownBy(() -> SummaryPartitions.readCoarse(stack.dynamoDb(), stack.settings().summaryTableName(), BUCKETS,
                page -> { }, slow, Duration.ofMillis(10)))
                .isInstanceOfSatisfying(StoreUnavailableException.class,
                        e -> assertThat(ApiErrors.toResponse(e).statusCode()).isEqualTo(503));
        assertThat(reads).hasValue(SummaryPartitions.READ_ATTEMPTS);
        assertThat(SummaryPartitions.readCoarse(stack.dynamoDb(), stack.settings().summaryTableName(), BUCKETS,
                page -> { }, slow, Duration.ofSeconds(10)).buckets()).hasSize(3);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void afterABurst_aListFoldsSeveralWaitingBuckets_mostFirst_upToFour() {
        // a burst: ids up to 1,400, seven full buckets waiting below the newest (id 1,400 alone)
        for (int i = CODES + 1; i <= 1_400; i++) {
            long id = repository.nextId();
            repository.insert(new OtpCode(id, 1000 + i, String.format("0912%07d", id), null,
                    NOW.plusSeconds(600 + 3600L * (id % 5) + id), NOW.minusSeconds(60), NOW.minusSeconds(60)));
        }
        // a budget no fold reaches here, so that the count of buckets is the rule's, not the machine's speed
        StripeFolder patient = new StripeFolder(stack.dynamoDb(), stack.settings().summaryTableName(), BUCKETS, Duration.ofMinutes(5));

        int first = patient.afterList(SummaryPartitions.readCoarse(stack.dynamoDb(), stack.settings().summaryTableName(), BUCKETS,
                page -> { }), NOW);

        assertThat(first).isEqualTo(StripeFolder.MOST_BUCKETS_A_LIST * BUCKETS.stripes());
        assertThat(java.util.stream.LongStream.range(0, 7).filter(b -> stripes(b) == 0).count())
                .isEqualTo(StripeFolder.MOST_BUCKETS_A_LIST);
        int second = patient.afterList(SummaryPartitions.readCoarse(stack.dynamoDb(), stack.settings().summaryTableName(), BUCKETS,
                page -> { }), NOW);
        assertThat(second).isEqualTo(3 * BUCKETS.stripes());
        for (long bucket = 0; bucket < 7; bucket++) {
            assertThat(stripes(bucket)).as("bucket " + bucket).isZero();
        }
        assertThat(stripes(7)).isPositive();
        assertThat(list(NOW).count()).isEqualTo(bruteForceCount(NOW)).isEqualTo(1_400);
    }

    @Test
    void aListWithNothingToFold_dropsTheLivesOfFoldsOverTenMinutesOld_andCountsStayExact() {
        list(NOW);
        list(NOW);
        assertThat(folded(0)).containsKeys("k0", "k1", "k2");
        assertThat(folded(1)).containsKeys("k0", "k1", "k2");

        list(NOW.plus(Duration.ofMinutes(5)));
        assertThat(folded(0)).as("a list may still need them").containsKeys("k0", "k1", "k2");

        Instant later = NOW.plus(StripeFolder.KEEP_LIVES).plusSeconds(1);
        Listing listing = list(later);

        for (long bucket : new long[] {0, 1}) {
            assertThat(folded(bucket)).doesNotContainKeys("k0", "k1", "k2").containsKeys("t0", "t1", "t2");
        }
        assertThat(listing.count()).isEqualTo(bruteForceCount(later));
        assertThat(list(later).count()).isEqualTo(bruteForceCount(later));
        assertThat(stripes(2)).isEqualTo(51);
    }

    private Listing list(Instant at) {
        Listing listing = repository.list(ListQuery.parse(Map.of("ordering", "-id"), 100), at);
        assertThat(listing.stats().operation()).isEqualTo("Summary");
        return listing;
    }

    private UpdateResult patchValidTo(long id, Instant validTo) {
        return repository.update(id, new OtpCodeInput(null, false, null, false, null, validTo), RecipientRequirement.NONE, NOW);
    }

    private Map<Long, Map<String, AttributeValue>> coarseSums(Runnable betweenReads) {
        SummaryPartitions.Coarse coarse = SummaryPartitions.readCoarse(stack.dynamoDb(), stack.settings().summaryTableName(),
                BUCKETS, page -> { }, betweenReads);
        Map<Long, Map<String, AttributeValue>> sums = new HashMap<>();
        coarse.buckets().forEach(item -> sums.put(Long.parseLong(item.get(SummaryTableSchema.BUCKET).n()), item));
        return sums;
    }

    private long bruteForceCount(Instant at) {
        return stack.dynamoDb().scan(r -> r.tableName(stack.settings().otpTableName()).consistentRead(true)).items().stream()
                .filter(item -> Long.parseLong(item.get(OtpTableSchema.EXPIRES_AT).n()) > at.getEpochSecond()).count();
    }

    /** The stripe items a coarse bucket has. */
    private int stripes(long coarseBucket) {
        int[] count = new int[1];
        long first = coarseBucket * BUCKETS.stripes();
        SummaryPartitions.readAll(stack.dynamoDb(), stack.settings().summaryTableName(),
                SummaryPartitions.parts(BUCKETS.summaryPartitions(), SummaryTableSchema::coarsePart), first,
                first + BUCKETS.stripes() - 1, page -> count[0] += page.items().size());
        return count[0];
    }

    private Map<String, AttributeValue> folded(long coarseBucket) {
        return stack.dynamoDb().getItem(r -> r.tableName(stack.settings().summaryTableName())
                .key(IdBuckets.foldedKey(coarseBucket)).consistentRead(true)).item();
    }
}
