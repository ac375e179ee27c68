package io.otpcodes.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.json.Json;
import io.otpcodes.local.testing.ApiCalls;
import io.otpcodes.local.testing.Exports;
import io.otpcodes.local.testing.LocalDynamoDb;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * An import killed with SIGKILL in the middle (a JVM of its own, stopped by destroyForcibly),
 * then run again: every code is stored once, and the counts lists read are exact.
 */
class ImportKilledTest {

    static final int CODES = 10_000;

    @TempDir
    Path dir;

    @Test
    void importKilledMidway_thenRunAgain_storesEveryCodeOnce_withExactCounts() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Options(LocalDynamoDb.freePort(), 0, LocalDynamoDb.freePort(),
                null, Map.of(), 0), new PrintStream(printed, true, StandardCharsets.UTF_8));
                DynamoDbClient dynamoDb = DynamoDbClientsForTests.client(runtime.dynamoDbEndpoint())) {
            List<List<String>> rows = new ArrayList<>();
            for (int i = 1; i <= CODES; i++) {
                boolean mobile = i % 3 != 0;
                rows.add(List.of(Integer.toString(i), Integer.toString(i * 7 % 1_000_000),
                        mobile ? String.format("0912%07d", i) : "", mobile ? "" : "u" + i + "@b.ir", "2099-01-01 00:00:00+00",
                        "2026-12-0" + (1 + i % 5) + " 10:00:00.25+00", "2026-12-06 10:00:00+00"));
            }
            Path file = Exports.write(dir, "codes.csv", ImportCodesTest.HEADER, rows);

            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "import", "codes", file.toString(),
                    "--endpoint-url", runtime.dynamoDbEndpoint()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("killed.log").toFile()).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long before = 0;
            while (before == 0 && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                before = codes(dynamoDb);
            }
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long atKill = codes(dynamoDb);
            assertThat(atKill).as("killed mid import").isBetween(1L, CODES - 1L);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int exit = Main.run(new String[] {"import", "codes", file.toString(), "--endpoint-url", runtime.dynamoDbEndpoint()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));

            String report = out.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(report).isZero();
            assertThat(codes(dynamoDb)).isEqualTo(CODES);
            long imported = Long.parseLong(report.replaceAll("(?s).*imported +([0-9,]+).*", "$1").replace(",", ""));
            long unchanged = Long.parseLong(report.replaceAll("(?s).*unchanged +([0-9,]+).*", "$1").replace(",", ""));
            assertThat(imported + unchanged).isEqualTo(CODES);
            assertThat(unchanged).isGreaterThanOrEqualTo(atKill);
            String admin = ApiCalls.adminToken(printed);
            HttpClient http = HttpClient.newHttpClient();
            assertThat(count(http, runtime, admin, "")).isEqualTo(CODES);
            assertThat(count(http, runtime, admin, "?has_email=true")).isEqualTo(CODES / 3); // every third id
            for (int day = 1; day <= 5; day++) {
                assertThat(count(http, runtime, admin, "?created_date=2026-12-0" + day)).isEqualTo(CODES / 5);
            }
            assertThat(count(http, runtime, admin, "?id_min=1234&id_max=5678")).isEqualTo(5678 - 1234 + 1);
            ByteArrayOutputStream verified = new ByteArrayOutputStream();
            assertThat(Main.run(new String[] {"import", "codes", file.toString(), "--endpoint-url", runtime.dynamoDbEndpoint(),
                    "--verify"}, new PrintStream(verified, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream())))
                    .as(verified.toString(StandardCharsets.UTF_8)).isZero();
        }
    }

    private static long codes(DynamoDbClient dynamoDb) {
        long total = 0;
        for (var page : dynamoDb.scanPaginator(r -> r.tableName(ImportCommand.CODES_TABLE).select(Select.COUNT).consistentRead(true))) {
            total += page.count();
        }
        return total;
    }

    private static long count(HttpClient http, LocalRuntime runtime, String token, String query) throws Exception {
        var response = ApiCalls.send(http, "GET", runtime.apiUrl() + query, token, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return (Long) ((Map<?, ?>) Json.parse(response.body())).get("count");
    }
}
