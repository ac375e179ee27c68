package io.otpcodes.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import io.otpcodes.store.OtpTableSchema;
import io.otpcodes.store.SummaryTableSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@code otp-local.jar backfill}: counts a code an older version wrote, and says so in one line. */
class BackfillCommandTest {

    @Test
    void backfill_countsUncountedCodes_andMarksTheSummariesReady() {
        TestStack stack = LocalDynamoDb.newStack();
        var settings = stack.settings();
        stack.dynamoDb().putItem(r -> r.tableName(settings.otpTableName()).item(Map.of(
                OtpTableSchema.ID, AttributeValue.fromN("7"), OtpTableSchema.CODE, AttributeValue.fromN("1234"),
                OtpTableSchema.MOBILE_NUMBER, AttributeValue.fromS("09120000007"),
                OtpTableSchema.VALID_TO, AttributeValue.fromN("4102444800000000"),
                OtpTableSchema.CREATED_AT, AttributeValue.fromN("1735689600000000"),
                OtpTableSchema.UPDATED_AT, AttributeValue.fromN("1735689600000000"),
                OtpTableSchema.EXPIRES_AT, AttributeValue.fromN("4103049600"))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"backfill", "--endpoint-url", LocalDynamoDb.endpoint().toString(),
                "--table", settings.otpTableName(), "--summary-table", settings.summaryTableName()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("counted 1 codes in 1 transactions; summaries ready\n");
        assertThat(stack.dynamoDb().getItem(r -> r.tableName(settings.otpTableName())
                .key(Map.of(OtpTableSchema.ID, AttributeValue.fromN("7")))).item())
                .containsEntry(OtpTableSchema.COUNTED, AttributeValue.fromN(Long.toString(OtpTableSchema.LAYOUT)));
    }

    @Test
    void backfill_againstAwsWithoutTableNames_isAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"backfill"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--table and --summary-table are required");
    }

    @Test
    void backfill_foldsTheStripesOfTheBucketsItCounted_butTheNewest() {
        TestStack stack = LocalDynamoDb.newStack();
        var settings = stack.settings();
        for (long id : new long[] {7, 8, 9_000, 10_007}) {
            stack.dynamoDb().putItem(r -> r.tableName(settings.otpTableName()).item(uncounted(id)));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"backfill", "--endpoint-url", LocalDynamoDb.endpoint().toString(),
                "--table", settings.otpTableName(), "--summary-table", settings.summaryTableName()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));

        assertThat(code).isZero();
        // ids 7 and 8 share a quantum, 9,000 is another: two stripes of coarse bucket 0, folded; 10,007 is in the newest bucket
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("counted 4 codes in 3 transactions; summaries ready; 2 stripes folded\n");
        List<Map<String, AttributeValue>> summaries = stack.dynamoDb().scan(r -> r.tableName(settings.summaryTableName())).items();
        assertThat(summaries).filteredOn(i -> i.get(SummaryTableSchema.PART).s().startsWith("coarse#")
                && !i.get(SummaryTableSchema.BUCKET).n().equals("-1"))
                .extracting(i -> Long.parseLong(i.get(SummaryTableSchema.BUCKET).n()) / 256).containsOnly(1L);
        assertThat(summaries).filteredOn(i -> i.get(SummaryTableSchema.PART).s().equals("folded"))
                .extracting(i -> i.get(SummaryTableSchema.BUCKET).n()).containsExactly("0");
    }

    /** A code as a version before the summaries wrote it: not counted, no version. */
    private static Map<String, AttributeValue> uncounted(long id) {
        return Map.of(OtpTableSchema.ID, AttributeValue.fromN(Long.toString(id)), OtpTableSchema.CODE, AttributeValue.fromN("1234"),
                OtpTableSchema.MOBILE_NUMBER, AttributeValue.fromS("09120000007"),
                OtpTableSchema.VALID_TO, AttributeValue.fromN("4102444800000000"),
                OtpTableSchema.CREATED_AT, AttributeValue.fromN("1735689600000000"),
                OtpTableSchema.UPDATED_AT, AttributeValue.fromN("1735689600000000"),
                OtpTableSchema.EXPIRES_AT, AttributeValue.fromN("4103049600"));
    }
}
