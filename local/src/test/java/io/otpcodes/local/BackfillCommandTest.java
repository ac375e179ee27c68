package io.otpcodes.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import io.otpcodes.store.OtpTableSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
}
