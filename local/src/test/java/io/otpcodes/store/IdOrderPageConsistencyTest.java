package io.otpcodes.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeInput;
import io.otpcodes.domain.OtpCodeRepository.Listing;
import io.otpcodes.domain.RecipientRequirement;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * On AWS a global secondary index lags behind writes. The page of a list in id order must still
 * agree with its count (strongly consistent) right after a create or a PATCH: here every index
 * answers as one that has not caught up with any write yet.
 */
class IdOrderPageConsistencyTest {

    static final Instant NOW = Instant.parse("2025-08-01T12:00:00Z");

    @Test
    void rightAfterACreateAndAPatch_theIdOrderPage_agreesWithItsCount() {
        TestStack stack = LocalDynamoDb.newStack();
        AtomicInteger indexQueries = new AtomicInteger();
        DynamoDbOtpCodeRepository repository = new DynamoDbOtpCodeRepository(laggingIndexes(stack.dynamoDb(), indexQueries),
                stack.settings().otpTableName(), stack.settings().counterTableName(), stack.settings().summaryTableName(),
                stack.settings().retention(), new IdBuckets(5, 10, 100));
        for (int i = 0; i < 12; i++) {
            repository.insert(new OtpCode(repository.nextId(), 100 + i, String.format("0912%07d", i), null,
                    NOW.plusSeconds(600), NOW, NOW));
        }
        repository.update(7, new OtpCodeInput(null, true, "09130000007", false, null, null), RecipientRequirement.NONE, NOW);

        for (Map<String, String> view : List.of(Map.<String, String>of(), Map.of("ordering", "-id", "limit", "5"),
                Map.of("id_min", "3", "id_max", "8"), Map.of("offset", "6", "limit", "3"))) {
            Listing listing = repository.list(ListQuery.parse(view, 100), NOW);

            assertThat(listing.stats().operation()).isEqualTo("Summary");
            int expectedPage = (int) Math.min(ListQuery.parse(view, 100).limit(),
                    Math.max(0, listing.count() - ListQuery.parse(view, 100).offset()));
            assertThat(listing.page()).as(view.toString()).hasSize(expectedPage);
        }
        assertThat(repository.list(ListQuery.parse(Map.of(), 100), NOW).page())
                .filteredOn(code -> code.id() == 7).singleElement()
                .extracting(OtpCode::mobileNumber).isEqualTo("09130000007");
        assertThat(indexQueries).hasValue(0);
    }

    /** DynamoDB Local, with every index Query answered as by an index that has not caught up yet: empty. */
    private static DynamoDbClient laggingIndexes(DynamoDbClient dynamoDb, AtomicInteger indexQueries) {
        return new DynamoDbClient() {
            @Override
            public QueryResponse query(QueryRequest request) {
                if (request.indexName() != null) {
                    indexQueries.incrementAndGet();
                    return QueryResponse.builder().items(List.of()).count(0).scannedCount(0).build();
                }
                return dynamoDb.query(request);
            }

            @Override
            public GetItemResponse getItem(GetItemRequest request) {
                return dynamoDb.getItem(request);
            }

            @Override
            public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
                return dynamoDb.batchGetItem(request);
            }

            @Override
            public PutItemResponse putItem(PutItemRequest request) {
                return dynamoDb.putItem(request);
            }

            @Override
            public UpdateItemResponse updateItem(UpdateItemRequest request) {
                return dynamoDb.updateItem(request);
            }

            @Override
            public ScanResponse scan(ScanRequest request) {
                return dynamoDb.scan(request);
            }

            @Override
            public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
                return dynamoDb.transactWriteItems(request);
            }

            @Override
            public String serviceName() {
                return "dynamodb";
            }

            @Override
            public void close() {
            }
        };
    }
}
