package io.otpcodes.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeInput;
import io.otpcodes.domain.OtpCodeRepository;
import io.otpcodes.domain.RecipientRequirement;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The summaries and the lines stay exact while creates and PATCHes run at once on the same
 * buckets: a one-pass list never shows a code twice meanwhile, and after the storm the count of
 * a list in id order equals a brute-force count of a consistent Scan, and a one-pass list shows
 * exactly the stored codes, at instants before, between and after the codes' TTLs.
 */
class SummaryConcurrencyTest {

    static final Instant NOW = Instant.parse("2025-08-01T12:00:00Z");
    static final Duration RETENTION = Duration.ofHours(1);
    static final int THREADS = 8;
    static final int CREATES_PER_THREAD = 30;
    static final int PATCHES_PER_THREAD = 30;

    @Test
    void concurrentCreatesAndPatches_leaveTheCountEqualToABruteForceCount() throws Exception {
        TestStack stack = LocalDynamoDb.newStack();
        var settings = stack.settings();
        DynamoDbOtpCodeRepository repository = new DynamoDbOtpCodeRepository(stack.dynamoDb(), settings.otpTableName(),
                settings.counterTableName(), settings.summaryTableName(), RETENTION, new IdBuckets(1, 3, 9));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        AtomicBoolean writing = new AtomicBoolean(true);
        Future<Integer> lister = pool.submit(() -> {
            int lists = 0;
            while (writing.get()) {
                repository.list(ListQuery.parse(Map.of("limit", "5", "offset", "7"), 100), NOW);
                var onePass = repository.list(ListQuery.parse(Map.of("ordering", "code", "limit", "1000"), 100), NOW);
                assertThat(onePass.page()).extracting(OtpCode::id).doesNotHaveDuplicates().hasSize((int) onePass.count());
                lists++;
            }
            return lists;
        });
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = t;
            writers.add(pool.submit(() -> {
                Random random = new Random(seed);
                for (int i = 0; i < CREATES_PER_THREAD + PATCHES_PER_THREAD; i++) {
                    Instant validTo = NOW.plusSeconds(random.nextInt(4 * 3600) - 2 * 3600);
                    if (i % 2 == 0) {
                        long id = repository.nextId();
                        repository.insert(new OtpCode(id, random.nextInt(1000), "0912000" + String.format("%04d", id), null,
                                validTo, NOW.minusSeconds(10), NOW.minusSeconds(10)));
                    } else {
                        long id = 1 + random.nextInt(THREADS * CREATES_PER_THREAD / 2 + 1);
                        // half move the code's expiry, half change its code and number and keep the expiry
                        OtpCodeInput input = i % 4 == 1 ? new OtpCodeInput(null, false, null, false, null, validTo)
                                : new OtpCodeInput(random.nextInt(1000), true, "0913000" + String.format("%04d", i), false,
                                        null, null);
                        OtpCodeRepository.UpdateResult result = repository.update(id, input, RecipientRequirement.NONE,
                                NOW.minusSeconds(5));
                        assertThat(result.status()).isIn(OtpCodeRepository.UpdateResult.Status.UPDATED,
                                OtpCodeRepository.UpdateResult.Status.NOT_FOUND);
                    }
                }
                return null;
            }));
        }
        for (Future<?> writer : writers) {
            writer.get();
        }
        writing.set(false);
        assertThat(lister.get()).isPositive();
        pool.shutdown();

        List<Map<String, AttributeValue>> items = stack.dynamoDb().scan(r -> r.tableName(settings.otpTableName())
                .consistentRead(true)).items();
        assertThat(items).hasSize(THREADS * CREATES_PER_THREAD);
        for (int minutes = -130; minutes <= 250; minutes += 7) {
            Instant at = NOW.plus(Duration.ofMinutes(minutes)).plusSeconds(minutes % 60);
            long live = items.stream().filter(i -> Long.parseLong(i.get(OtpTableSchema.EXPIRES_AT).n()) > at.getEpochSecond())
                    .count();
            var listing = repository.list(ListQuery.parse(Map.of("ordering", "-id"), 100), at);
            assertThat(listing.stats().operation()).isEqualTo("Summary");
            assertThat(listing.count()).as("at " + at).isEqualTo(live);
            var onePass = repository.list(ListQuery.parse(Map.of("ordering", "-code", "limit", "1000"), 100), at);
            assertThat(onePass.stats().operation()).isEqualTo("Lines");
            assertThat(onePass.page()).as("at " + at).containsExactlyInAnyOrderElementsOf(items.stream()
                    .filter(i -> Long.parseLong(i.get(OtpTableSchema.EXPIRES_AT).n()) > at.getEpochSecond())
                    .map(DynamoDbOtpCodeRepository::toOtpCode).toList());
        }
    }
}
