package io.otpcodes.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeInput;
import io.otpcodes.domain.OtpCodeRepository.UpdateResult;
import io.otpcodes.domain.RecipientRequirement;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/**
 * Two PATCHes of one code that read the same version, stamped with the same instant: the one
 * that writes second must see that the code changed, whatever the timestamps say, or its line
 * would keep the other PATCH's fields out of date. Made deterministic by a client that runs the
 * other PATCH between the first one's read and its transaction.
 */
class PatchRaceTest {

    static final Instant NOW = Instant.parse("2025-08-01T12:00:00Z");

    @Test
    void patch_racingAnotherPatchOfTheSameInstant_leavesTheLineEqualToTheCode() {
        TestStack stack = LocalDynamoDb.newStack();
        DynamoDbOtpCodeRepository plain = repository(stack, stack.dynamoDb());
        plain.insert(new OtpCode(1, 100, "09120000001", null, NOW.plusSeconds(600), NOW, NOW));
        AtomicBoolean raced = new AtomicBoolean();
        DynamoDbClient interleaving = new DynamoDbClient() {
            @Override
            public GetItemResponse getItem(GetItemRequest request) {
                return stack.dynamoDb().getItem(request);
            }

            @Override
            public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
                if (raced.compareAndSet(false, true)) {
                    // the other PATCH, read and written in between, at the same instant
                    UpdateResult other = plain.update(1, new OtpCodeInput(null, true, "09130000002", false, null, null),
                            RecipientRequirement.NONE, NOW);
                    assertThat(other.status()).isEqualTo(UpdateResult.Status.UPDATED);
                }
                return stack.dynamoDb().transactWriteItems(request);
            }

            @Override
            public String serviceName() {
                return "dynamodb";
            }

            @Override
            public void close() {
            }
        };

        UpdateResult result = repository(stack, interleaving).update(1, new OtpCodeInput(777, false, null, false, null, null),
                RecipientRequirement.NONE, NOW);

        assertThat(raced).isTrue();
        assertThat(result.code()).isEqualTo(new OtpCode(1, 777, "09130000002", null, NOW.plusSeconds(600), NOW, NOW));
        OtpCode stored = plain.find(1, NOW).orElseThrow();
        assertThat(stored).isEqualTo(result.code());
        var line = plain.list(ListQuery.parse(Map.of("ordering", "code"), 100), NOW);
        assertThat(line.stats().operation()).isEqualTo("Lines");
        assertThat(line.page()).containsExactly(stored);
    }

    private static DynamoDbOtpCodeRepository repository(TestStack stack, DynamoDbClient client) {
        var settings = stack.settings();
        return new DynamoDbOtpCodeRepository(client, settings.otpTableName(), settings.counterTableName(),
                settings.summaryTableName(), Duration.ofHours(1), IdBuckets.DEFAULT);
    }
}
