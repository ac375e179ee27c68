package io.otpcodes.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeInput;
import io.otpcodes.domain.OtpCodeRepository.Listing;
import io.otpcodes.domain.RecipientRequirement;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The codes' lines: what a one-pass list reads instead of the codes. Each line reads back as its
 * code, the lines item outlives every code in it, and the backfill writes the lines of a table
 * whose codes were counted before lines existed.
 */
class CodeLinesTest {

    static final Instant NOW = Instant.parse("2025-09-01T10:00:00.123456Z");
    static final Duration RETENTION = Duration.ofHours(2);

    static Stream<OtpCode> codes() {
        return Stream.of(
                new OtpCode(7, 0, "09120000000", null, NOW, NOW, NOW),
                new OtpCode(123456789012L, 999999999, null, "a b@example.com", NOW.plusSeconds(1), NOW.minusSeconds(1), NOW),
                new OtpCode(1, -5, null, "\"x y=- z\"@example.com", NOW, NOW, NOW.plusNanos(1000)),
                new OtpCode(2, 1, null, "-", NOW, NOW, NOW),
                new OtpCode(3, 1, null, null, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH));
    }

    @ParameterizedTest
    @MethodSource("codes")
    void line_readsBackAsItsCode(OtpCode code) {
        CodeLines.Line line = new CodeLines.Line(code, 1_756_720_800L);

        CodeLines.Line back = CodeLines.parse(CodeLines.LINE_PREFIX + code.id(), line.text());

        assertThat(back).isEqualTo(line);
    }

    @Test
    void itemExpiry_isTheEndOfTheCodesHour() {
        assertThat(CodeLines.itemExpiry(7200)).isEqualTo(7200);
        assertThat(CodeLines.itemExpiry(7201)).isEqualTo(10800);
        assertThat(CodeLines.itemExpiry(10799)).isEqualTo(10800);
    }

    @Test
    void linesItemTtl_onlyGrows_whateverOrderCodesAreWrittenIn() {
        TestStack stack = LocalDynamoDb.newStack();
        DynamoDbOtpCodeRepository repository = repository(stack);
        // one lines item: a late expiry first, then an earlier one, then a PATCH that shortens it
        repository.insert(code(1, NOW.plus(Duration.ofHours(5))));
        repository.insert(code(2, NOW.plusSeconds(60)));
        repository.update(1, new OtpCodeInput(null, false, null, false, null, NOW.plusSeconds(30)), RecipientRequirement.NONE, NOW);
        long latest = CodeLines.itemExpiry(repository.expiresAt(NOW.plus(Duration.ofHours(5)), NOW));
        assertThat(linesTtl(stack)).isEqualTo(latest);

        // a PATCH past it raises it
        repository.update(2, new OtpCodeInput(null, false, null, false, null, NOW.plus(Duration.ofHours(9))),
                RecipientRequirement.NONE, NOW);

        assertThat(linesTtl(stack)).isEqualTo(CodeLines.itemExpiry(repository.expiresAt(NOW.plus(Duration.ofHours(9)), NOW)));
        Listing listing = repository.list(ListQuery.parse(Map.of("ordering", "ttl"), 100), NOW);
        assertThat(listing.stats().operation()).isEqualTo("Lines");
        assertThat(listing.page()).extracting(OtpCode::id).containsExactly(1L, 2L);
        // every code stays listed until its own TTL, whatever the item's
        assertThat(repository.list(ListQuery.parse(Map.of("search", "0912"), 100),
                NOW.plus(RETENTION).plusSeconds(31)).page()).extracting(OtpCode::id).containsExactly(2L);
    }

    @Test
    void backfill_onATableCountedInTheLayoutBeforeStripes_countsEveryCodeAgain_once() {
        TestStack stack = LocalDynamoDb.newStack();
        DynamoDbOtpCodeRepository repository = repository(stack);
        for (long id = 1; id <= 250; id++) {
            repository.insert(code(id, NOW.plusSeconds(id)));
        }
        Listing before = repository.list(ListQuery.parse(Map.of("ordering", "-code"), 100), NOW);
        // as the layout before stripes left it: codes not counted here, no summaries here
        for (Map<String, AttributeValue> item : stack.dynamoDb().scan(r -> r.tableName(stack.settings().otpTableName())).items()) {
            stack.dynamoDb().updateItem(r -> r.tableName(stack.settings().otpTableName())
                    .key(Map.of(OtpTableSchema.ID, item.get(OtpTableSchema.ID))).updateExpression("REMOVE #c, #v")
                    .expressionAttributeNames(Map.of("#c", OtpTableSchema.COUNTED, "#v", OtpTableSchema.VERSION)));
        }
        for (Map<String, AttributeValue> item : stack.dynamoDb().scan(r -> r.tableName(stack.settings().summaryTableName())).items()) {
            stack.dynamoDb().deleteItem(r -> r.tableName(stack.settings().summaryTableName()).key(Map.of(
                    SummaryTableSchema.PART, item.get(SummaryTableSchema.PART), SummaryTableSchema.BUCKET, item.get(SummaryTableSchema.BUCKET))));
        }
        Listing uncounted = repository.list(ListQuery.parse(Map.of("ordering", "-code"), 100), NOW);

        SummaryBackfill.Result result = new SummaryBackfill(stack.dynamoDb(), stack.settings().otpTableName(),
                stack.settings().summaryTableName(), IdBuckets.DEFAULT).run(NOW);
        SummaryBackfill.Result again = new SummaryBackfill(stack.dynamoDb(), stack.settings().otpTableName(),
                stack.settings().summaryTableName(), IdBuckets.DEFAULT).run(NOW);

        Listing after = repository.list(ListQuery.parse(Map.of("ordering", "-code"), 100), NOW);
        assertThat(before.stats().operation()).isEqualTo("Lines");
        assertThat(uncounted.stats().operation()).isEqualTo("Scan");
        assertThat(result.markedReady()).isTrue();
        assertThat(result.codesCounted()).isEqualTo(250);
        assertThat(again.codesCounted()).isZero();
        assertThat(after.stats().operation()).isEqualTo("Lines");
        assertThat(after.count()).isEqualTo(250);
        assertThat(after.page()).isEqualTo(before.page()).isEqualTo(uncounted.page());
        assertThat(repository.list(ListQuery.parse(Map.of(), 100), NOW).count()).isEqualTo(250);
    }

    @Test
    void aCodeValidUntilLongAgo_getsATtlFourYearsBeforeNow_whichDynamoDbStillSweeps() {
        TestStack stack = LocalDynamoDb.newStack();
        DynamoDbOtpCodeRepository repository = repository(stack);
        Instant longAgo = Instant.parse("2001-01-01T00:00:00Z");
        repository.insert(code(1, longAgo));
        repository.insert(code(2, NOW.plusSeconds(600)));
        repository.update(2, new OtpCodeInput(null, false, null, false, null, longAgo), RecipientRequirement.NONE, NOW);

        // DynamoDB's TTL ignores a time more than five years past: valid_to + retention would be 978,314,400
        long fourYearsBeforeNow = NOW.getEpochSecond() - Duration.ofDays(4 * 365).toSeconds();
        for (long id : List.of(1L, 2L)) {
            Map<String, AttributeValue> item = stack.dynamoDb().getItem(r -> r.tableName(stack.settings().otpTableName())
                    .key(Map.of(OtpTableSchema.ID, AttributeValue.fromN(Long.toString(id)))).consistentRead(true)).item();
            assertThat(Long.parseLong(item.get(OtpTableSchema.EXPIRES_AT).n())).isEqualTo(fourYearsBeforeNow);
            assertThat(repository.find(id, NOW)).isEmpty();
        }
        assertThat(repository.list(ListQuery.parse(Map.of(), 100), NOW).count()).isZero();
        assertThat(repository.list(ListQuery.parse(Map.of("ordering", "code"), 100), NOW).count()).isZero();
    }

    @Test
    void patchesOfValidTo_leaveNoZeroCountInTheFineSummary() {
        TestStack stack = LocalDynamoDb.newStack();
        DynamoDbOtpCodeRepository repository = repository(stack);
        repository.insert(code(1, NOW.plusSeconds(600)));
        repository.insert(code(2, NOW.plusSeconds(600)));
        for (int minutes = 11; minutes <= 15; minutes++) {
            repository.update(1, new OtpCodeInput(null, false, null, false, null, NOW.plusSeconds(60L * minutes)),
                    RecipientRequirement.NONE, NOW);
        }

        Map<String, AttributeValue> fine = stack.dynamoDb().getItem(r -> r.tableName(stack.settings().summaryTableName())
                .key(IdBuckets.DEFAULT.fineKey(1)).consistentRead(true)).item();
        // code 2's minute (count 1), code 1's last minute (count 1), its day (count 2): no zero left by the PATCHes
        assertThat(fine.entrySet()).filteredOn(e -> SummaryTableSchema.isCount(e.getKey()))
                .extracting(e -> e.getValue().n()).containsExactlyInAnyOrder("1", "1", "2");
        // with 2 h of retention: code 2 is listed until 2 h 10 min from now, code 1 until 2 h 15 min
        assertThat(repository.list(ListQuery.parse(Map.of(), 100), NOW).count()).isEqualTo(2);
        assertThat(repository.list(ListQuery.parse(Map.of(), 100), NOW.plusSeconds(60 * 60 * 2 + 60 * 12)).count())
                .isEqualTo(1);
    }

    @Test
    void aPatch_whoseZeroCountRemovalIsThrottled_stillSucceeds() {
        TestStack stack = LocalDynamoDb.newStack();
        repository(stack).insert(code(1, NOW.plusSeconds(600)));
        DynamoDbClient throttledPlainWrites = new DynamoDbClient() {
            @Override
            public GetItemResponse getItem(GetItemRequest request) {
                return stack.dynamoDb().getItem(request);
            }

            @Override
            public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
                return stack.dynamoDb().transactWriteItems(request);
            }

            @Override
            public UpdateItemResponse updateItem(UpdateItemRequest request) {
                throw ProvisionedThroughputExceededException.builder().message("throttled").build();
            }

            @Override
            public String serviceName() {
                return "dynamodb";
            }

            @Override
            public void close() {
            }
        };
        var settings = stack.settings();
        DynamoDbOtpCodeRepository throttled = new DynamoDbOtpCodeRepository(throttledPlainWrites, settings.otpTableName(),
                settings.counterTableName(), settings.summaryTableName(), RETENTION, IdBuckets.DEFAULT);

        var result = throttled.update(1, new OtpCodeInput(null, false, null, false, null, NOW.plusSeconds(3000)),
                RecipientRequirement.NONE, NOW);

        assertThat(result.status()).isEqualTo(io.otpcodes.domain.OtpCodeRepository.UpdateResult.Status.UPDATED);
        assertThat(repository(stack).find(1, NOW).orElseThrow().validTo()).isEqualTo(NOW.plusSeconds(3000));
    }

    private static DynamoDbOtpCodeRepository repository(TestStack stack) {
        var settings = stack.settings();
        return new DynamoDbOtpCodeRepository(stack.dynamoDb(), settings.otpTableName(), settings.counterTableName(),
                settings.summaryTableName(), RETENTION, IdBuckets.DEFAULT);
    }

    private static OtpCode code(long id, Instant validTo) {
        return new OtpCode(id, (int) (1000 - id), String.format("0912%07d", id), null, validTo, NOW, NOW);
    }

    private static long linesTtl(TestStack stack) {
        Map<String, AttributeValue> item = stack.dynamoDb().getItem(r -> r.tableName(stack.settings().summaryTableName())
                .key(IdBuckets.DEFAULT.linesKey(1))
                .consistentRead(true)).item();
        return Long.parseLong(item.get(CodeLines.EXPIRES_AT).n());
    }

    @Test
    void lineOfAnUncountedCode_isNotWritten_untilTheBackfillCountsIt() {
        TestStack stack = LocalDynamoDb.newStack();
        DynamoDbOtpCodeRepository repository = repository(stack);
        Map<String, AttributeValue> item = new HashMap<>(repository.toItem(code(5, NOW.plusSeconds(60))));
        item.remove(OtpTableSchema.VERSION);
        item.remove(OtpTableSchema.COUNTED);
        stack.dynamoDb().putItem(r -> r.tableName(stack.settings().otpTableName()).item(item));

        repository.update(5, new OtpCodeInput(42, false, null, false, null, null), RecipientRequirement.NONE, NOW);
        List<Map<String, AttributeValue>> lines = stack.dynamoDb().scan(r -> r.tableName(stack.settings().summaryTableName()))
                .items();
        new SummaryBackfill(stack.dynamoDb(), stack.settings().otpTableName(), stack.settings().summaryTableName(),
                IdBuckets.DEFAULT).run(NOW);
        Listing listing = repository.list(ListQuery.parse(Map.of("search", "0912"), 100), NOW);

        assertThat(lines).isEmpty();
        assertThat(listing.stats().operation()).isEqualTo("Lines");
        assertThat(listing.page()).extracting(OtpCode::code).containsExactly(42);
    }
}
