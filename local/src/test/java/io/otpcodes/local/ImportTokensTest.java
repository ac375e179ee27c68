package io.otpcodes.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.auth.TokenHash;
import io.otpcodes.local.testing.ApiCalls;
import io.otpcodes.local.testing.Exports;
import io.otpcodes.local.testing.LocalDynamoDb;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

/**
 * {@code import tokens}: every DRF token keeps its key and exactly the access its user had,
 * through the local runtime's authorizer and API (no authorizer cache, so a re-import shows at
 * once). Keys are stored only as hashes, and no output names one.
 */
class ImportTokensTest {

    static final List<String> HEADER = List.of("key", "is_active", "is_staff", "is_superuser", "permissions", "name");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalRuntime runtime;
    private static DynamoDbClient dynamoDb;

    @TempDir
    static Path dir;

    static String key(char c) {
        return String.valueOf(c).repeat(40);
    }

    /** The old service's users: key, active, staff, superuser, permission codes (its own and its groups'). */
    static final List<List<String>> USERS = List.of(
            List.of(key('a'), "t", "f", "t", "", "admin"),
            List.of(key('b'), "true", "1", "false", "2851", "creator"),
            List.of(key('c'), "t", "t", "f", "2852", "viewer"),
            List.of(key('d'), "t", "t", "f", "2853 2852", "editor"),
            List.of(key('e'), "t", "t", "f", "", "staff-without"),
            List.of(key('f'), "t", "f", "f", "2851,2852,2853", "not-staff"),
            List.of(key('1'), "f", "t", "t", "2851,2852,2853", "inactive"),
            List.of(key('2'), "0", "TRUE", "F", "2852, 9999", ""));

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(new LocalRuntime.Options(LocalDynamoDb.freePort(), 0, LocalDynamoDb.freePort(), null,
                Map.of(), 0), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        dynamoDb = DynamoDbClientsForTests.client(runtime.dynamoDbEndpoint());
        ImportCodesTest.Run run = importTokens(Exports.write(dir, "tokens.csv", HEADER, USERS));
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsPattern("imported +8\\b").contains("1 permission codes other than");
    }

    @AfterAll
    static void stop() throws Exception {
        dynamoDb.close();
        runtime.close();
    }

    static ImportCodesTest.Run importTokens(Path file, String... options) {
        return ImportCodesTest.cli("tokens", file, runtime, options);
    }

    /** The statuses of list, create and PATCH (of an id that does not exist: 404 once through the authorizer). */
    static List<Integer> access(String key) throws Exception {
        return List.of(
                ApiCalls.send(HTTP, "GET", runtime.apiUrl(), key, null).statusCode(),
                ApiCalls.send(HTTP, "POST", runtime.apiUrl(), key, "{\"code\": 1, \"email\": \"a@b.ir\"}").statusCode(),
                ApiCalls.send(HTTP, "PATCH", runtime.apiUrl() + "999999999/", key, "{\"code\": 2}").statusCode());
    }

    static Stream<Arguments> accessOfEachUser() {
        return Stream.of(
                Arguments.of(key('a'), List.of(200, 201, 404)),
                Arguments.of(key('b'), List.of(403, 201, 403)),
                Arguments.of(key('c'), List.of(200, 403, 403)),
                Arguments.of(key('d'), List.of(200, 403, 404)),
                Arguments.of(key('e'), List.of(403, 403, 403)),
                Arguments.of(key('f'), List.of(403, 403, 403)),
                Arguments.of(key('1'), List.of(401, 401, 401)),
                Arguments.of(key('2'), List.of(401, 401, 401)),
                Arguments.of(key('9'), List.of(401, 401, 401)));
    }

    @ParameterizedTest
    @MethodSource("accessOfEachUser")
    void importedToken_authenticatesWithItsOldKey_withExactlyTheAccessItHad(String key, List<Integer> statuses) throws Exception {
        assertThat(access(key)).isEqualTo(statuses);
    }

    @Test
    void keys_areStoredOnlyAsHashes_andNeverPrinted() {
        String items = dynamoDb.scan(r -> r.tableName(ImportCommand.TOKENS_TABLE)).items().toString();
        for (List<String> user : USERS) {
            assertThat(items).doesNotContain(user.get(0)).contains(TokenHash.sha256(user.get(0)));
        }
        ImportCodesTest.Run again = importTokens(dir.resolve("tokens.csv"));
        for (List<String> user : USERS) {
            assertThat(again.out() + again.err()).doesNotContain(user.get(0));
        }
        assertThat(again.out()).containsPattern("unchanged +8\\b").containsPattern("imported +0\\b");
    }

    @Test
    void reImport_updatesFlagsAndPermissions() throws Exception {
        Path changed = Exports.write(dir, "changed.csv", HEADER, List.of(List.of(key('7'), "t", "t", "f", "2852", "later")));
        assertThat(importTokens(changed).exit()).isZero();
        assertThat(access(key('7'))).isEqualTo(List.of(200, 403, 403));

        Path revoked = Exports.write(dir, "revoked.csv", HEADER, List.of(List.of(key('7'), "f", "t", "f", "2852,2851", "later")));
        ImportCodesTest.Run run = importTokens(revoked);

        assertThat(run.out()).containsPattern("updated +1\\b");
        assertThat(access(key('7'))).isEqualTo(List.of(401, 401, 401));
    }

    @Test
    void badRows_areReportedByLineAndField_andNotWritten() {
        Path file = Exports.write(dir, "bad.csv", HEADER, List.of(
                List.of("0123", "t", "t", "f", "2852", "short key"),
                List.of(key('3'), "yes", "t", "f", "2852", "bad flag"),
                List.of(key('4'), "t", "t", "f", "2852;2853", "bad codes"),
                List.of(key('5'), "t", "t", "f", "2852", "twice"),
                List.of(key('5'), "t", "t", "f", "2853", "twice again")));

        ImportCodesTest.Run run = importTokens(file);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("line 2: key: Not a DRF token key", "line 3: is_active: Must be t/f",
                "line 4: permissions: Not a list of permission codes", "line 5: key: The same key is on line 6 too.",
                "line 6: key: The same key is on line 5 too.").containsPattern("rejected +5\\b").doesNotContain(key('5'));
        for (char c : new char[] {'3', '4', '5'}) {
            assertThat(dynamoDb.getItem(r -> r.tableName(ImportCommand.TOKENS_TABLE).key(Map.of("token_hash",
                    software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(TokenHash.sha256(key(c)))))).item()).isEmpty();
        }
    }

    @Test
    void dryRun_saysWhatItWouldDo_andWritesNothing() throws Exception {
        Path file = Exports.write(dir, "dry.csv", HEADER, List.of(List.of(key('8'), "t", "t", "f", "2852", "dry")));

        ImportCodesTest.Run run = importTokens(file, "--dry-run");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("dry run: nothing written").containsPattern("imported +1\\b");
        assertThat(access(key('8'))).isEqualTo(List.of(401, 401, 401));
    }
}
