package io.otpcodes.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.api.Route;
import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeRepository.Listing;
import io.otpcodes.json.Json;
import io.otpcodes.local.ProxyEvent;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import io.otpcodes.store.DynamoDbOtpCodeRepository;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A new table becomes ready for the summaries whatever happens to its first create, and a list
 * that scans for want of them says so in its log line.
 */
class SummaryReadinessTest {

    static final Instant NOW = Instant.now();

    @Test
    void aTableWhoseFirstCreateFailedAfterTheCounterMoved_isMarkedReadyByTheFirstList() {
        TestStack stack = LocalDynamoDb.newStack();
        DynamoDbOtpCodeRepository repository = new DynamoDbOtpCodeRepository(stack.dynamoDb(), stack.settings());
        assertThat(repository.nextId()).isEqualTo(1); // its create then failed: id 1 never exists
        repository.insert(new OtpCode(repository.nextId(), 5, "09120000002", null, NOW.plusSeconds(600), NOW, NOW));

        Listing first = repository.list(ListQuery.parse(Map.of(), 100), NOW);
        Listing onePass = repository.list(ListQuery.parse(Map.of("ordering", "code"), 100), NOW);

        assertThat(first.stats().operation()).isEqualTo("Summary");
        assertThat(first.stats().summariesReady()).isTrue();
        assertThat(first.count()).isEqualTo(1);
        assertThat(onePass.stats().operation()).isEqualTo("Lines");
    }

    @Test
    void anOlderTableBeforeItsBackfill_staysOnTheScan_andItsListsSaySoInTheLogLine() throws IOException {
        TestStack stack = LocalDynamoDb.newStack();
        DynamoDbOtpCodeRepository repository = new DynamoDbOtpCodeRepository(stack.dynamoDb(), stack.settings());
        repository.insert(new OtpCode(repository.nextId(), 5, "09120000001", null, NOW.plusSeconds(600), NOW, NOW));
        stack.makeNotBackfilled();

        StringBuilder log = new StringBuilder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ListOtpCodesHandler(stack.settings(), stack.dynamoDb()).handleRequest(new ByteArrayInputStream(Json.writeBytes(
                ProxyEvent.request("GET", "/api/notifications/otp/").resource(Route.COLLECTION).toMap())), out,
                TokenAuthorizerTest.context(log));

        assertThat(out.toString()).contains("\"statusCode\":200");
        assertThat(log.toString()).contains("\"plan\":\"Scan\"").contains("\"summaries\":\"not ready");
        Listing again = repository.list(ListQuery.parse(Map.of(), 100), NOW);
        assertThat(again.stats().operation()).isEqualTo("Scan");
        assertThat(again.stats().summariesReady()).isFalse();
        assertThat(again.count()).isEqualTo(1);
    }

    @Test
    void aListFromTheSummaries_namesItsPlanInTheLogLine_andNoCode() throws IOException {
        TestStack stack = LocalDynamoDb.newStack();
        DynamoDbOtpCodeRepository repository = new DynamoDbOtpCodeRepository(stack.dynamoDb(), stack.settings());
        repository.insert(new OtpCode(repository.nextId(), 987654, "09123334444", null, NOW.plusSeconds(600), NOW, NOW));

        StringBuilder log = new StringBuilder();
        new ListOtpCodesHandler(stack.settings(), stack.dynamoDb()).handleRequest(new ByteArrayInputStream(Json.writeBytes(
                ProxyEvent.request("GET", "/api/notifications/otp/").resource(Route.COLLECTION).toMap())),
                new ByteArrayOutputStream(), TokenAuthorizerTest.context(log));

        // one code listed: the page, all the list held
        assertThat(log.toString()).contains("\"plan\":\"Summary\"").contains("\"items_read\":").contains("\"codes_held\":1,")
                .doesNotContain("summaries").doesNotContain("987654").doesNotContain("09123334444");
    }
}
