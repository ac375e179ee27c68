package io.otpcodes.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.api.Route;
import io.otpcodes.json.Json;
import io.otpcodes.local.testing.ApiCalls;
import io.otpcodes.local.testing.LocalDynamoDb;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local runtime end to end: real HTTP in, API Gateway's behaviour, functions, DynamoDB Local. */
class LocalRuntimeTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalRuntime runtime;
    private static String adminToken;
    private static String base;
    private static ByteArrayOutputStream printed;

    @BeforeAll
    static void start() throws Exception {
        printed = new ByteArrayOutputStream();
        runtime = LocalRuntime.start(new LocalRuntime.Options(LocalDynamoDb.freePort(), 0, LocalDynamoDb.freePort(), null,
                Map.of(), 0), new PrintStream(printed, true, StandardCharsets.UTF_8));
        base = "http://127.0.0.1:" + runtime.port();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("API: " + base + "/api/notifications/otp/");
        adminToken = ApiCalls.adminToken(printed);
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
    }

    static HttpResponse<String> call(String method, String path, String token, String json) throws Exception {
        return ApiCalls.send(HTTP, method, base + path, token, json);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(HttpResponse<String> response) {
        return (Map<String, Object>) Json.parse(response.body());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyRequest_printsTheMetricsLineLambdaWouldLog_inTheTemplatesNamespace() throws Exception {
        assertThat(call("POST", "/api/notifications/otp/", adminToken, "{\"code\": 7, \"email\": \"m@b.ir\"}").statusCode())
                .isEqualTo(201);

        List<Map<String, Object>> metricLines = printed.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.startsWith("{") && line.contains("\"_aws\""))
                .map(line -> (Map<String, Object>) Json.parse(line)).toList();

        Map<String, Object> create = metricLines.stream()
                .filter(line -> ("POST " + Route.COLLECTION).equals(line.get("Route")) && Long.valueOf(201).equals(line.get("status")))
                .reduce((first, second) -> second).orElseThrow();
        Map<String, Object> aws = (Map<String, Object>) create.get("_aws");
        List<Map<String, Object>> directives = (List<Map<String, Object>>) aws.get("CloudWatchMetrics");
        assertThat(directives).extracting(d -> d.get("Namespace")).containsOnly(SamTemplate.load().parameterDefault("MetricsNamespace"));
        assertThat(create).containsEntry("Service", SamTemplate.load().parameterDefault("ServiceName"))
                .containsEntry("Requests", 1L).containsEntry("ServerErrors", 0L);
        assertThat(metricLines).anyMatch(line -> "authorizer".equals(line.get("Route")) && "authenticated".equals(line.get("Outcome")));
    }

    @Test
    void authFailures_answerAsApiGatewayWithTheTemplatesResponses() throws Exception {
        HttpResponse<String> noHeader = call("GET", "/api/notifications/otp/", null, null);
        assertThat(noHeader.statusCode()).isEqualTo(401);
        assertThat(noHeader.headers().firstValue("WWW-Authenticate")).hasValue("Token");
        assertThat(object(noHeader)).isEqualTo(Map.of("detail", "Invalid token."));

        assertThat(call("GET", "/api/notifications/otp/", "0123456789abcdef0123456789abcdef01234567", null).statusCode())
                .isEqualTo(401);

        String viewer = token("token", "create", "--endpoint-url", runtime.dynamoDbEndpoint(), "--name", "viewer",
                "--staff", "--permissions", "2852");
        HttpResponse<String> denied = call("POST", "/api/notifications/otp/", viewer, "{\"code\": 1, \"email\": \"a@b.ir\"}");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(object(denied)).isEqualTo(Map.of("detail", "You do not have permission to perform this action."));
        assertThat(call("GET", "/api/notifications/otp/", viewer, null).statusCode()).isEqualTo(200);
    }

    @Test
    void createListRetrievePatch_withAndWithoutTrailingSlashes() throws Exception {
        HttpResponse<String> created = call("POST", "/api/notifications/otp", adminToken,
                "{\"code\": 255315, \"mobile_number\": \"+989123256545\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Content-Type")).hasValue("application/json");
        Object id = object(created).get("id");
        call("POST", "/api/notifications/otp/", adminToken, "{\"code\": 2, \"mobile_number\": \"09123256545\"}");
        call("POST", "/api/notifications/otp/", adminToken, "{\"code\": 3, \"email\": \"x@y.ir\"}");

        HttpResponse<String> listed = call("GET", "/api/notifications/otp/?mobile_number=09123256545&limit=1", adminToken, null);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(object(listed)).containsEntry("count", 2L).containsEntry("previous", null)
                .containsEntry("next", base + "/api/notifications/otp/?limit=1&mobile_number=09123256545&offset=1");
        HttpResponse<String> second = call("GET", "/api/notifications/otp?limit=1&mobile_number=09123256545&offset=1", adminToken, null);
        assertThat(object(second)).containsEntry("previous", base + "/api/notifications/otp?limit=1&mobile_number=09123256545");
        assertThat(call("GET", "/api/notifications/otp/?search=x%40y&has_email=true", adminToken, null).body()).contains("\"count\":1");

        for (String path : List.of("/api/notifications/otp/" + id, "/api/notifications/otp/" + id + "/")) {
            HttpResponse<String> retrieved = call("GET", path, adminToken, null);
            assertThat(retrieved.statusCode()).as(path).isEqualTo(200);
            assertThat(object(retrieved)).containsEntry("id", id).containsEntry("mobile_number", "09123256545");
        }

        HttpResponse<String> patched = call("PATCH", "/api/notifications/otp/" + id + "/", adminToken,
                "{\"mobile_number\": null, \"email\": \"info@moeinmail.ir\"}");
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(object(patched)).containsEntry("recipient", "info@moeinmail.ir");
        assertThat(call("PUT", "/api/notifications/otp/" + id, adminToken, "{\"code\": 9, \"email\": \"a@b.ir\"}").statusCode())
                .isEqualTo(200);
    }

    @Test
    void badInputAndUnroutedRequests_getDrfShapedJson() throws Exception {
        HttpResponse<String> invalid = call("POST", "/api/notifications/otp/", adminToken, "{\"code\": \"x\"}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(object(invalid)).containsEntry("code", List.of("A valid integer is required."));

        HttpResponse<String> deleted = call("DELETE", "/api/notifications/otp/1/", adminToken, null);
        assertThat(deleted.statusCode()).isEqualTo(405);
        assertThat(deleted.headers().firstValue("Allow")).hasValue("GET, PUT, PATCH");

        HttpResponse<String> unrouted = call("GET", "/api/notifications/other/", adminToken, null);
        assertThat(unrouted.statusCode()).isEqualTo(404);
        assertThat(object(unrouted)).isEqualTo(Map.of("detail", "Not found."));

        assertThat(call("GET", "/api/notifications/otp/abc/", adminToken, null).statusCode()).isEqualTo(404);
        HttpResponse<String> tooLarge = call("POST", "/api/notifications/otp/", adminToken,
                "{\"code\": 1, \"email\": \"" + "a".repeat(LocalApiGateway.MAX_BODY_BYTES) + "\"}");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(object(tooLarge)).containsKey("detail");
    }

    @Test
    void tokenCommand_createsListsAndRevokes() throws Exception {
        String token = token("token", "create", "--endpoint-url", runtime.dynamoDbEndpoint(), "--name", "ci-bot",
                "--staff", "--permissions", "2851,2853");
        assertThat(token).matches("[0-9a-f]{40}");

        String listed = token("token", "list", "--endpoint-url", runtime.dynamoDbEndpoint());
        assertThat(listed).startsWith("ID\tNAME\tROLES\tPERMISSIONS\n").containsPattern("\n[0-9a-f]{12}\tci-bot\tstaff\t2851,2853")
                .contains("\tlocal-admin\tadmin,staff\t2851,2852,2853").doesNotContain(token);
        assertThat(call("POST", "/api/notifications/otp/", token, "{\"code\": 1, \"email\": \"a@b.ir\"}").statusCode())
                .isEqualTo(201);

        assertThat(Main.run(new String[] {"token", "revoke", "--endpoint-url", runtime.dynamoDbEndpoint(), token},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()))).isZero();
        assertThat(call("POST", "/api/notifications/otp/", token, "{\"code\": 1, \"email\": \"a@b.ir\"}").statusCode())
                .isEqualTo(401);
        assertThat(token("token", "list", "--endpoint-url", runtime.dynamoDbEndpoint())).doesNotContain("ci-bot");

        // a holder whose token is lost is revoked by the id the list shows
        token("token", "create", "--endpoint-url", runtime.dynamoDbEndpoint(), "--name", "lost-laptop", "--admin");
        String id = token("token", "list", "--endpoint-url", runtime.dynamoDbEndpoint()).lines()
                .filter(l -> l.contains("\tlost-laptop\t")).findFirst().orElseThrow().split("\t")[0];
        token("token", "revoke", "--endpoint-url", runtime.dynamoDbEndpoint(), "--id", id);
        assertThat(token("token", "list", "--endpoint-url", runtime.dynamoDbEndpoint())).doesNotContain("lost-laptop");
    }

    @Test
    void commandLine_mistakes_getOneClearLineAndExitCode2() {
        String endpoint = runtime.dynamoDbEndpoint();
        String[][] cases = {
            {"scheme", "token", "list", "--endpoint-url", endpoint.substring("http://".length())},
            {"scheme", "backfill", "--endpoint-url", endpoint.substring("http://".length())},
            {"--admin, or --staff with --permissions", "token", "create", "--endpoint-url", endpoint, "--name", "useless"},
            {"a staff token needs --permissions", "token", "create", "--endpoint-url", endpoint, "--staff"},
            {"TOKEN, or --id", "token", "revoke", "--endpoint-url", endpoint},
        };
        for (String[] c : cases) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(java.util.Arrays.copyOfRange(c, 1, c.length), new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).as(String.join(" ", c)).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).as(String.join(" ", c)).contains(c[0])
                    .doesNotContain("Exception").doesNotContain("\tat ").hasLineCount(1);
        }
        assertThat(token("token", "list", "--endpoint-url", endpoint)).doesNotContain("useless");
    }

    @Test
    void commandLine_refusesBadInputWithExitCode2() throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        assertThat(Main.run(new String[] {}, quiet, quiet)).isEqualTo(2);
        assertThat(Main.run(new String[] {"frobnicate"}, quiet, quiet)).isEqualTo(2);
        assertThat(Main.run(new String[] {"token", "create", "--permissions", "9999", "--endpoint-url", "http://x"}, quiet, quiet))
                .isEqualTo(2);
        assertThat(Main.run(new String[] {"token", "create", "--admin"}, quiet, quiet)).as("AWS needs --table").isEqualTo(2);
        assertThat(ServeCommand.parse(new String[] {"--port"}, Map.of()).error()).contains("--port needs a value");
        assertThat(ServeCommand.parse(new String[] {"--port", "0"}, Map.of()).error()).contains("port number");
        assertThat(ServeCommand.parse(new String[] {"--bogus"}, Map.of()).error()).contains("unknown option");
        assertThat(ServeCommand.parse(new String[] {"--in-memory", "--data-dir", "x"}, Map.of()).error()).contains("exclude");
        LocalRuntime.Options defaults = ServeCommand.parse(new String[] {}, Map.of()).options();
        assertThat(defaults.port()).isEqualTo(3000);
        assertThat(defaults.lambdaPort()).isEqualTo(3001);
        assertThat(ServeCommand.parse(new String[] {"--lambda-port", "3000"}, Map.of()).error()).contains("must differ");
        assertThat(defaults.dynamoDbPort()).isEqualTo(8000);
        assertThat(defaults.dataDir()).isEqualTo(Path.of(".otp-local"));

        Path notAFolder = Files.createTempFile("otp-local", ".data");
        LocalRuntime.Options onAFile = ServeCommand.parse(new String[] {"--data-dir", notAFolder.toString(), "--port",
                Integer.toString(LocalDynamoDb.freePort()), "--lambda-port", Integer.toString(LocalDynamoDb.freePort()),
                "--dynamodb-port", Integer.toString(LocalDynamoDb.freePort())},
                Map.of()).options();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServeCommand.start(onAFile, quiet))
                .isInstanceOf(ServeCommand.StartFailure.class).hasMessageContaining("data folder");

        Path damaged = Files.createTempDirectory("otp-local");
        Files.write(damaged.resolve(ServeCommand.DATABASE_FILE), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17});
        LocalRuntime.Options onADamagedFile = ServeCommand.parse(new String[] {"--data-dir", damaged.toString(), "--port",
                Integer.toString(LocalDynamoDb.freePort()), "--lambda-port", Integer.toString(LocalDynamoDb.freePort()),
                "--dynamodb-port", Integer.toString(LocalDynamoDb.freePort())}, Map.of()).options();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServeCommand.start(onADamagedFile, quiet))
                .isInstanceOf(ServeCommand.StartFailure.class)
                .hasMessageContaining("is not a DynamoDB Local database").hasMessageContaining("--in-memory");

        try (ServerSocket taken = new ServerSocket(0)) {
            LocalRuntime.Options options = ServeCommand.parse(new String[] {"--in-memory", "--port",
                    Integer.toString(taken.getLocalPort()), "--lambda-port", Integer.toString(LocalDynamoDb.freePort())},
                    Map.of()).options();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServeCommand.start(options, quiet))
                    .isInstanceOf(ServeCommand.StartFailure.class).hasMessageContaining("in use");
        }
    }

    @Test
    void restart_onTheSameDataDir_keepsTheCodesAndPrintsNoSecondAdminToken(@TempDir Path dataDir) throws Exception {
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        int port = LocalDynamoDb.freePort();
        int dynamoDbPort = LocalDynamoDb.freePort();
        LocalRuntime.Options options = new LocalRuntime.Options(port, 0, dynamoDbPort, dataDir, Map.of(), 0);
        String token;
        Object id;
        try (LocalRuntime running = LocalRuntime.start(options, new PrintStream(first, true, StandardCharsets.UTF_8))) {
            token = ApiCalls.adminToken(first);
            HttpResponse<String> created = ApiCalls.send(HTTP, "POST", running.apiUrl(), token,
                    "{\"code\": 7, \"email\": \"keep@me.ir\"}");
            id = object(created).get("id");
        }
        assertThat(Files.list(dataDir)).isNotEmpty();

        ByteArrayOutputStream second = new ByteArrayOutputStream();
        // through the command's own checks: the ports just freed (connections in TIME_WAIT) count as free
        try (LocalRuntime again = ServeCommand.start(options, new PrintStream(second, true, StandardCharsets.UTF_8))) {
            HttpResponse<String> retrieved = ApiCalls.send(HTTP, "GET", again.apiUrl() + id + "/", token, null);
            assertThat(retrieved.statusCode()).isEqualTo(200);
            assertThat(object(retrieved)).containsEntry("email", "keep@me.ir");
        }
        assertThat(second.toString(StandardCharsets.UTF_8)).doesNotContain("Admin token");
    }

    @Test
    void adminToken_isPrintedBeforeTheApiAnswers() throws Exception {
        int port = LocalDynamoDb.freePort();
        java.util.concurrent.atomic.AtomicReference<String> answeredBeforeToken = new java.util.concurrent.atomic.AtomicReference<>();
        PrintStream watching = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8) {
            @Override
            public void println(String line) {
                if (line.startsWith("Admin token: ")) {
                    // a client that polls the API until it answers must find the token printed by then
                    try {
                        HttpResponse<String> early = HttpClient.newHttpClient().send(java.net.http.HttpRequest
                                .newBuilder(URI.create("http://127.0.0.1:" + port + "/api/notifications/otp/"))
                                .timeout(java.time.Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.ofString());
                        answeredBeforeToken.set("answered " + early.statusCode());
                    } catch (Exception notYet) {
                        answeredBeforeToken.set("no answer");
                    }
                }
                super.println(line);
            }
        };
        try (LocalRuntime started = LocalRuntime.start(new LocalRuntime.Options(port, 0, LocalDynamoDb.freePort(), null,
                Map.of(), 0), watching)) {
            assertThat(answeredBeforeToken.get()).isEqualTo("no answer");
            assertThat(call(started, "/api/notifications/otp/").statusCode()).isEqualTo(401);
        }
    }

    private static HttpResponse<String> call(LocalRuntime target, String path) throws Exception {
        return ApiCalls.send(HTTP, "GET", "http://127.0.0.1:" + target.port() + path, null, null);
    }

    @Test
    void anUnknownTokenBesideAValidOne_isNeverCachedAsValid() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (LocalRuntime cached = LocalRuntime.start(new LocalRuntime.Options(LocalDynamoDb.freePort(), 0,
                LocalDynamoDb.freePort(), null, Map.of(), null), new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String admin = ApiCalls.adminToken(printed);
            String unknown = "0123456789abcdef0123456789abcdef01234567";
            for (String[] order : new String[][] {{unknown, admin}, {admin, unknown}}) {
                HttpResponse<String> both = HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(cached.apiUrl()))
                        .header("Authorization", "Token " + order[0]).header("Authorization", "Token " + order[1]).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(both.statusCode()).isEqualTo(401);
            }

            assertThat(ApiCalls.send(HTTP, "GET", cached.apiUrl(), unknown, null).statusCode()).isEqualTo(401);
            assertThat(ApiCalls.send(HTTP, "GET", cached.apiUrl(), admin, null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void ids_areConsecutive_evenAfterAQuietSecond() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (LocalRuntime fresh = LocalRuntime.start(new LocalRuntime.Options(LocalDynamoDb.freePort(), 0,
                LocalDynamoDb.freePort(), null, Map.of(), null), new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String admin = ApiCalls.adminToken(printed);
            Object first = object(ApiCalls.send(HTTP, "POST", fresh.apiUrl(), admin, "{\"code\": 1, \"email\": \"a@b.ir\"}")).get("id");
            // a deployed container that went quiet would drop the rest of its first block here
            Thread.sleep(1_100);
            Object second = object(ApiCalls.send(HTTP, "POST", fresh.apiUrl(), admin, "{\"code\": 2, \"email\": \"a@b.ir\"}")).get("id");

            assertThat(List.of(first, second)).containsExactly(1L, 2L);
        }
    }

    @Test
    void processEnvironment_overridesTheTemplatesValues() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream systemOut = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        LocalRuntime started;
        try {
            started = LocalRuntime.start(new LocalRuntime.Options(LocalDynamoDb.freePort(), 0,
                    LocalDynamoDb.freePort(), null, Map.of("OTP_EXPIRATION_SECONDS", "30", "UNRELATED", "x"), 0),
                    new PrintStream(printed, true, StandardCharsets.UTF_8));
        } finally {
            System.setOut(systemOut);
        }
        assertThat(stdout.toString(StandardCharsets.UTF_8)).as("no DynamoDB Local banner").isEmpty();
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("API: ");
        try (LocalRuntime shortLived = started) {
            String admin = ApiCalls.adminToken(printed);
            HttpResponse<String> created = ApiCalls.send(HTTP, "POST", shortLived.apiUrl(), admin,
                    "{\"code\": 1, \"email\": \"a@b.ir\"}");

            Map<String, Object> code = object(created);
            assertThat(java.time.Duration.between(java.time.Instant.parse((String) code.get("created_at")),
                    java.time.Instant.parse((String) code.get("valid_to")))).isEqualTo(java.time.Duration.ofSeconds(30));
        }
    }

    private static String token(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8).strip();
    }
}
