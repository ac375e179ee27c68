package io.otpcodes.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.domain.ListFilter;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeRepository.Listing;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** What a list reads, measured by DynamoDB Local's ReturnConsumedCapacity on 10,000 codes. */
class ListReadCostTest {

    static final int CODES = 10_000;
    static final String TARGET = "09127777777";
    static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

    private static TestStack stack;
    private static DynamoDbOtpCodeRepository repository;

    @BeforeAll
    static void setUp() {
        stack = LocalDynamoDb.newStack();
        var settings = stack.settings();
        repository = new DynamoDbOtpCodeRepository(stack.dynamoDb(), settings.otpTableName(),
                settings.counterTableName(), settings.retention());
        List<WriteRequest> batch = new ArrayList<>();
        for (int id = 1; id <= CODES; id++) {
            String mobile = id % 2000 == 0 ? TARGET : String.format("0912%07d", id);
            boolean email = id % 3 == 0 && id % 2000 != 0;
            OtpCode code = new OtpCode(id, 100000 + id, email ? null : mobile, email ? "user" + id + "@example.com" : null,
                    NOW.plusSeconds(600), NOW.minusSeconds(CODES - id), NOW.minusSeconds(CODES - id));
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(repository.toItem(code)).build()).build());
            if (batch.size() == 25) {
                write(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            write(batch);
        }
    }

    private static void write(List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> unprocessed = Map.of(stack.otpTable(), batch);
        while (!unprocessed.isEmpty()) {
            Map<String, List<WriteRequest>> request = unprocessed;
            unprocessed = stack.dynamoDb().batchWriteItem(r -> r.requestItems(request)).unprocessedItems();
        }
    }

    private static ListFilter mobile(String number) {
        return new ListFilter(null, null, null, null, null, null, null, null, number, null, null);
    }

    @Test
    void mobileNumberList_onTenThousandCodes_readsNoMoreThanItsFiveMatches() {
        Listing listing = repository.list(mobile(TARGET), NOW);

        assertThat(listing.codes()).hasSize(5).allMatch(c -> c.mobileNumber().equals(TARGET));
        assertThat(listing.stats().operation()).isEqualTo("Query");
        assertThat(listing.stats().index()).isEqualTo(OtpTableSchema.MOBILE_NUMBER_INDEX);
        double oneItemRead = stack.dynamoDb().getItem(r -> r.tableName(stack.otpTable())
                .key(Map.of("id", AttributeValue.fromN("2000")))
                .returnConsumedCapacity("TOTAL")).consumedCapacity().capacityUnits();
        assertThat(listing.stats().consumedCapacity()).isPositive().isLessThanOrEqualTo(5 * oneItemRead);
        assertThat(listing.stats().pages()).isEqualTo(1);
    }

    @Test
    void unfilteredList_followsEveryPage_soTheCountIsExact() {
        Listing listing = repository.list(ListFilter.NONE, NOW);

        assertThat(listing.codes()).hasSize(CODES);
        assertThat(listing.stats().pages()).isGreaterThan(1);
        assertThat(listing.stats().operation()).isEqualTo("Scan");
    }

    @Test
    void hasEmailList_scansOnlyTheSparseEmailIndex() {
        ListFilter hasEmail = new ListFilter(null, null, null, null, null, null, null, true, null, null, null);

        Listing listing = repository.list(hasEmail, NOW);
        Listing all = repository.list(ListFilter.NONE, NOW);

        assertThat(listing.codes()).hasSize(CODES / 3 - 1);
        assertThat(listing.stats().index()).isEqualTo(OtpTableSchema.EMAIL_INDEX);
        assertThat(listing.stats().consumedCapacity()).isLessThan(all.stats().consumedCapacity() / 2);
    }
}
