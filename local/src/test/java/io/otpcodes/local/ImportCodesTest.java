package io.otpcodes.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.json.Json;
import io.otpcodes.local.testing.ApiCalls;
import io.otpcodes.local.testing.Exports;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.store.OtpTableSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code import codes}: through the real command line, into the local runtime's DynamoDB Local,
 * then read back through its HTTP API as a client of the old service would. Each test keeps to
 * its own range of ids (the runtime's tables are shared by the class).
 */
class ImportCodesTest {

    static final List<String> HEADER = List.of("id", "code", "mobile_number", "email", "valid_to", "created_at", "updated_at");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalRuntime runtime;
    private static String admin;
    private static DynamoDbClient dynamoDb;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        runtime = LocalRuntime.start(new LocalRuntime.Options(LocalDynamoDb.freePort(), 0, LocalDynamoDb.freePort(), null,
                Map.of(), 0), new PrintStream(printed, true, StandardCharsets.UTF_8));
        admin = ApiCalls.adminToken(printed);
        dynamoDb = DynamoDbClientsForTests.client(runtime.dynamoDbEndpoint());
    }

    @AfterAll
    static void stop() throws Exception {
        dynamoDb.close();
        runtime.close();
    }

    /** What a run of the command printed and answered. */
    record Run(int exit, String out, String err) {
    }

    static Run importCodes(Path file, String... options) {
        return cli("codes", file, runtime, options);
    }

    /** {@code import WHAT FILE --endpoint-url (the runtime's DynamoDB) OPTIONS} through the command line's entry point. */
    static Run cli(String what, Path file, LocalRuntime runtime, String... options) {
        List<String> args = new ArrayList<>(List.of("import", what, file.toString(), "--endpoint-url", runtime.dynamoDbEndpoint()));
        args.addAll(List.of(options));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> get(String path) throws Exception {
        return ApiCalls.send(HTTP, "GET", runtime.apiUrl() + path, admin, null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(HttpResponse<String> response) {
        return (Map<String, Object>) Json.parse(response.body());
    }

    static long count(String query) throws Exception {
        HttpResponse<String> list = get("?" + query);
        assertThat(list.statusCode()).isEqualTo(200);
        return (Long) object(list).get("count");
    }

    static boolean stored(long id) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(ImportCommand.CODES_TABLE)
                .key(Map.of(OtpTableSchema.ID, AttributeValue.fromN(Long.toString(id)))).consistentRead(true)).item();
        return item != null && !item.isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyColumnForm_arrivesAsItWas_forRetrieveAndEveryList() throws Exception {
        // columns in another order than the fixed list, and an extra one holding a comma, quotes and a newline
        Path file = Exports.write(dir, "codes.csv",
                List.of("note", "updated_at", "id", "email", "mobile_number", "valid_to", "code", "created_at"), List.of(
                        List.of("a, \"quoted\"\nnote", "2026-12-07 03:45:12.123456+00", "1001", "", "09121234567",
                                "2099-01-02 03:04:05.123456+00", "255315", "2026-12-07 03:45:11.5+00"),
                        List.of("", "2026-12-07 07:22:08.599728+03:30", "1002", "Info@Example.com", "",
                                "2099-01-02 08:27:50+03:30", "7", "2026-12-07 07:22:08.5997+03:30"),
                        List.of("", "2026-12-07T03:45:12.123456Z", "1003", "", "09351112233", "2099-01-02T00:00:00Z", "0",
                                "2026-12-06T23:59:59.000001Z"),
                        List.of("", "2026-12-07 03:45:12-01", "1004", "a@b.ir", "", "2099-01-02 03:04:05.1+00", "2147483647",
                                "2026-12-07 03:45:12+00")));

        Run run = importCodes(file);

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsPattern("imported +4\\b").containsPattern("rejected +0\\b");
        assertThat(object(get("1001/"))).containsEntry("code", 255315L).containsEntry("mobile_number", "09121234567")
                .containsEntry("email", null).containsEntry("valid_to", "2099-01-02T03:04:05.123456Z")
                .containsEntry("created_at", "2026-12-07T03:45:11.500000Z").containsEntry("updated_at", "2026-12-07T03:45:12.123456Z");
        assertThat(object(get("1002/"))).containsEntry("email", "Info@Example.com").containsEntry("recipient", "Info@Example.com")
                .containsEntry("valid_to", "2099-01-02T04:57:50Z").containsEntry("created_at", "2026-12-07T03:52:08.599700Z")
                .containsEntry("updated_at", "2026-12-07T03:52:08.599728Z");
        assertThat(object(get("1003/"))).containsEntry("code", 0L).containsEntry("created_at", "2026-12-06T23:59:59.000001Z");
        assertThat(object(get("1004/"))).containsEntry("updated_at", "2026-12-07T04:45:12Z");
        // id order (the summaries), another order and a search (the lines), a recipient (its index)
        Map<String, Object> page = object(get("?id_min=1001&id_max=1004&ordering=-id"));
        assertThat(page.get("count")).isEqualTo(4L);
        assertThat((List<Map<String, Object>>) page.get("results")).extracting(c -> c.get("id")).containsExactly(1004L, 1003L, 1002L, 1001L);
        assertThat(count("id_min=1001&id_max=1004&created_date=2026-12-06")).isEqualTo(1);
        assertThat(count("id_min=1001&id_max=1004&search=example.com")).isEqualTo(1);
        assertThat(count("id_min=1001&id_max=1004&ordering=code&has_email=true")).isEqualTo(2);
        assertThat(count("mobile_number=%2B989351112233")).isEqualTo(1);
        assertThat(count("email=info@example.com")).isEqualTo(1);
    }

    @Test
    void sameFileTwice_changesNothing() throws Exception {
        Path file = Exports.write(dir, "codes.csv", HEADER, List.of(
                List.of("2001", "11", "09120000001", "", "2099-01-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-01 00:00:00+00"),
                List.of("2002", "12", "", "x@y.ir", "2099-01-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-02 00:00:00+00")));
        assertThat(importCodes(file).exit()).isZero();
        Map<String, Object> before = tables();

        Run again = importCodes(file);

        assertThat(again.exit()).isZero();
        assertThat(again.out()).containsPattern("imported +0\\b").containsPattern("updated +0\\b").containsPattern("unchanged +2\\b");
        assertThat(tables()).isEqualTo(before);
        assertThat(count("id_min=2001&id_max=2002")).isEqualTo(2);
    }

    /** Every item of the codes and summaries tables: what a run that changes nothing must leave as it was. */
    private static Map<String, Object> tables() {
        Map<String, Object> all = new LinkedHashMap<>();
        for (String table : List.of(ImportCommand.CODES_TABLE, ImportCommand.SUMMARIES_TABLE)) {
            all.put(table, new java.util.HashSet<>(dynamoDb.scanPaginator(r -> r.tableName(table).consistentRead(true)).items()
                    .stream().toList()));
        }
        return all;
    }

    @Test
    void newerExport_updatesWhatChangedThere_addsNewCodes_andLeavesWhatChangedHereAlone() throws Exception {
        Path first = Exports.write(dir, "first.csv", HEADER, List.of(
                List.of("3001", "1", "09120000001", "", "2099-01-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-01 00:00:00+00"),
                List.of("3002", "2", "09120000002", "", "2099-01-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-01 00:00:00+00"),
                List.of("3003", "3", "09120000003", "", "2099-01-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-01 00:00:00+00")));
        assertThat(importCodes(first).exit()).isZero();
        // changed in this service after the first import
        assertThat(ApiCalls.send(HTTP, "PATCH", runtime.apiUrl() + "3003/", admin, "{\"code\": 33}").statusCode()).isEqualTo(200);
        Path delta = Exports.write(dir, "delta.csv", HEADER, List.of(
                List.of("3001", "1", "09120000001", "", "2099-01-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-01 00:00:00+00"),
                // changed in the old service: a new recipient and an earlier expiry
                List.of("3002", "22", "", "moved@b.ir", "2098-06-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-05 00:00:00+00"),
                List.of("3003", "300", "09120000003", "", "2099-01-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-03 00:00:00+00"),
                List.of("3004", "4", "", "new@b.ir", "2099-01-01 00:00:00+00", "2026-12-06 00:00:00+00", "2026-12-06 00:00:00+00")));

        Run run = importCodes(delta);

        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out()).containsPattern("imported +1\\b").containsPattern("updated +1\\b").containsPattern("unchanged +2\\b")
                .contains("1 of them changed here since");
        assertThat(object(get("3002/"))).containsEntry("code", 22L).containsEntry("mobile_number", null)
                .containsEntry("email", "moved@b.ir").containsEntry("valid_to", "2098-06-01T00:00:00Z");
        assertThat(object(get("3003/"))).containsEntry("code", 33L);
        assertThat(count("id_min=3001&id_max=3004")).isEqualTo(4);
        assertThat(count("id_min=3001&id_max=3004&has_email=true")).isEqualTo(2);
        assertThat(count("id_min=3001&id_max=3004&created_date=2026-12-06")).isEqualTo(1);
        assertThat(count("mobile_number=09120000002")).isZero();
        assertThat(importCodes(delta).out()).containsPattern("unchanged +4\\b");
    }

    static Stream<Arguments> badRows() {
        String ok = "2099-01-01 00:00:00+00";
        return Stream.of(
                Arguments.of("4001x,1,09120000001,," + ok + "," + ok + "," + ok, "id: A valid id"),
                Arguments.of("4002,1,09120000001,,2099-13-01 00:00:00+00," + ok + "," + ok, "valid_to: Datetime has wrong format"),
                Arguments.of("4003,1,09120000001,," + ok + ",yesterday," + ok, "created_at: Datetime has wrong format"),
                Arguments.of("4004,1,0912,," + ok + "," + ok + "," + ok, "mobile_number: Enter a valid"),
                Arguments.of("4005,1,,not-an-email," + ok + "," + ok + "," + ok, "email: Enter a valid email address."),
                Arguments.of("4006,1,09120000001,a@b.ir," + ok + "," + ok + "," + ok, "non_field_errors:"),
                Arguments.of("4007,1,,," + ok + "," + ok + "," + ok, "non_field_errors:"),
                Arguments.of("4008,abc,09120000001,," + ok + "," + ok + "," + ok, "code: A valid integer is required."),
                Arguments.of("4009,1,09120000001,," + ok + "," + ok, "updated_at: Missing in this row."),
                Arguments.of("4010,1,09120000001,,," + ok + "," + ok, "valid_to: This field is required."));
    }

    @ParameterizedTest
    @MethodSource("badRows")
    void badRow_isReportedByLineAndField_andNothingOfItIsWritten(String row, String reported) {
        String good = "4100,5,09120000005,,2099-01-01 00:00:00+00,2026-12-01 00:00:00+00,2026-12-01 00:00:00+00";
        Path file = Exports.text(dir, "codes.csv", String.join(",", HEADER) + "\n" + good + "\n" + row + "\n");

        Run run = importCodes(file);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("line 3: " + reported).containsPattern("rejected +1\\b").containsPattern("imported +1\\b|unchanged +1\\b");
        long id = Long.parseLong(row.substring(0, 4));
        assertThat(stored(id)).isFalse();
        assertThat(stored(4100)).isTrue();
    }

    @Test
    void duplicateIdInOneFile_rejectsBothRows() {
        Path file = Exports.write(dir, "codes.csv", HEADER, List.of(
                List.of("4201", "1", "09120000001", "", "2099-01-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-01 00:00:00+00"),
                List.of("4202", "2", "09120000002", "", "2099-01-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-01 00:00:00+00"),
                List.of("4201", "3", "09120000003", "", "2099-01-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-01 00:00:00+00")));

        Run run = importCodes(file);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("line 2: id: The same id is on line 4 too.", "line 4: id: The same id is on line 2 too.")
                .containsPattern("rejected +2\\b").containsPattern("imported +1\\b");
        assertThat(stored(4201)).isFalse();
        assertThat(stored(4202)).isTrue();
    }

    @Test
    void headerWithoutAColumn_stopsBeforeAnyWrite() {
        Path file = Exports.text(dir, "codes.csv", "id,code,mobile_number,email,valid_to,created_at\n"
                + "4301,1,09120000001,,2099-01-01 00:00:00+00,2026-12-01 00:00:00+00\n");

        Run run = importCodes(file);

        assertThat(run.exit()).isEqualTo(Main.USAGE);
        assertThat(run.err()).contains("lacks the column updated_at").contains("nothing was written");
        assertThat(stored(4301)).isFalse();
    }

    @Test
    void dryRun_checksTheWholeFile_andWritesNothing() throws Exception {
        long counterBefore = counter();
        Path file = Exports.write(dir, "codes.csv", HEADER, List.of(
                List.of("9000001", "1", "09120000001", "", "2099-01-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-01 00:00:00+00"),
                List.of("9000002", "1", "bad", "", "2099-01-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-01 00:00:00+00")));

        Run run = importCodes(file, "--dry-run");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("dry run: nothing written").containsPattern("imported +1\\b").contains("line 3: mobile_number");
        assertThat(stored(9000001)).isFalse();
        assertThat(counter()).isEqualTo(counterBefore);
    }

    @Test
    void codesPastTheirRetention_areSkippedAndCounted() {
        Path file = Exports.write(dir, "codes.csv", HEADER, List.of(
                List.of("4401", "1", "09120000001", "", "2020-01-01 00:00:00+00", "2019-12-31 00:00:00+00", "2019-12-31 00:00:00+00"),
                List.of("4402", "2", "09120000002", "", "2099-01-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-01 00:00:00+00")));

        Run run = importCodes(file);

        assertThat(run.exit()).isZero();
        assertThat(run.out()).containsPattern("skipped +1\\b").containsPattern("imported +1\\b").contains("retention has passed");
        assertThat(stored(4401)).isFalse();
    }

    @Test
    void idCounter_movesPastTheLargestIdAndTheReserve_andNeverBack() throws Exception {
        Path file = Exports.write(dir, "codes.csv", HEADER, List.of(
                List.of("5000010", "1", "09120000001", "", "2099-01-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-01 00:00:00+00")));
        assertThat(importCodes(file, "--reserve-ids", "1000").exit()).isZero();

        HttpResponse<String> created = ApiCalls.send(HTTP, "POST", runtime.apiUrl(), admin, "{\"code\": 1, \"email\": \"n@b.ir\"}");

        // 5,000,010 + 1,000, to the end of its quantum of 25 ids: the service starts a quantum of its own
        assertThat(object(created)).containsEntry("id", 5_001_025L);
        Path older = Exports.write(dir, "older.csv", HEADER, List.of(
                List.of("4501", "1", "09120000001", "", "2099-01-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-01 00:00:00+00")));
        assertThat(importCodes(older, "--reserve-ids", "0").exit()).isZero();
        assertThat(counter()).isEqualTo(5_001_025L);
    }

    @Test
    void verify_isEqualAfterTheImport_andNamesTheIdsOfADifference() throws Exception {
        Path file = Exports.write(dir, "codes.csv", HEADER, List.of(
                List.of("6001", "1", "09120000001", "", "2099-01-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-01 00:00:00+00"),
                List.of("6002", "2", "", "v@b.ir", "2099-01-01 00:00:00+00", "2026-12-02 00:00:00+00", "2026-12-02 00:00:00+00")));
        assertThat(importCodes(file).exit()).isZero();
        Map<String, Object> before = tables();

        Run equal = importCodes(file, "--verify");

        assertThat(equal.exit()).as(equal.out()).isZero();
        assertThat(equal.out()).contains("equal: 2 codes (1 mobile, 1 e-mail) created on 2 days");
        assertThat(tables()).isEqualTo(before);
        assertThat(ApiCalls.send(HTTP, "PATCH", runtime.apiUrl() + "6002/", admin, "{\"code\": 9}").statusCode()).isEqualTo(200);
        Run different = importCodes(file, "--verify");
        assertThat(different.exit()).isEqualTo(1);
        assertThat(different.out()).contains("different:").contains("checksum: file").contains("ids 0-9999: file 2 codes, table 2, checksums differ");
    }

    @Test
    void anIdThatHoldsAnotherCodeHere_isRejected_andTheStoredCodeStays() throws Exception {
        Path first = Exports.write(dir, "first.csv", HEADER, List.of(
                List.of("7001", "1", "09120000001", "", "2099-01-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-01 00:00:00+00")));
        assertThat(importCodes(first).exit()).isZero();
        // the same id, another code: created at another time, changed later
        Path other = Exports.write(dir, "other.csv", HEADER, List.of(
                List.of("7001", "2", "", "x@b.ir", "2099-01-01 00:00:00+00", "2026-12-02 00:00:00+00", "2026-12-03 00:00:00+00")));

        Run run = importCodes(other);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("line 2: id: The table holds another code with this id").containsPattern("rejected +1\\b");
        assertThat(object(get("7001/"))).containsEntry("code", 1L).containsEntry("mobile_number", "09120000001");
    }

    @Test
    void aTableAnOlderVersionWrote_mustBeBackfilledFirst_andNothingIsWritten() {
        io.otpcodes.local.testing.TestStack stack = LocalDynamoDb.newStack();
        var settings = stack.settings();
        new io.otpcodes.store.DynamoDbOtpCodeRepository(stack.dynamoDb(), settings).insert(new io.otpcodes.domain.OtpCode(1, 5,
                "09120000001", null, java.time.Instant.parse("2099-01-01T00:00:00Z"), java.time.Instant.parse("2026-12-01T00:00:00Z"),
                java.time.Instant.parse("2026-12-01T00:00:00Z")));
        stack.makeNotBackfilled();
        Path file = Exports.write(dir, "codes.csv", HEADER, List.of(
                List.of("8001", "1", "09120000001", "", "2099-01-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-01 00:00:00+00")));
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = Main.run(new String[] {"import", "codes", file.toString(), "--endpoint-url", LocalDynamoDb.endpoint().toString(),
                "--table", settings.otpTableName(), "--summary-table", settings.summaryTableName(), "--counter-table",
                settings.counterTableName()}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("run backfill first");
        assertThat(stack.dynamoDb().getItem(r -> r.tableName(settings.otpTableName())
                .key(Map.of(OtpTableSchema.ID, AttributeValue.fromN("8001")))).item()).isEmpty();
    }

    private static long counter() {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(ImportCommand.COUNTERS_TABLE)
                .key(Map.of("name", AttributeValue.fromS("otp_code_id"))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? 0 : Long.parseLong(item.get("value").n());
    }
}
