package io.otpcodes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.otpcodes.auth.DynamoDbTokenRepository;
import io.otpcodes.auth.Permission;
import io.otpcodes.auth.TokenHash;
import io.otpcodes.auth.Tokens;
import io.otpcodes.config.Settings;
import io.otpcodes.json.Json;
import io.otpcodes.local.testing.ApiCalls;
import io.otpcodes.local.testing.Exports;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.store.DynamoDbClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The local runtime against a DynamoDB it does not embed: any endpoint (here a second DynamoDB
 * Local), or a deployed stack's tables, found through CloudFormation (here a stub of its API on
 * loopback, and DynamoDB Local standing for DynamoDB on AWS). Never AWS itself.
 */
class ServeTargetsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String STACK = "otp-prod";
    private static final String PREFIX = "otp-prod-";

    private EmbeddedDynamoDb elsewhere;
    private DynamoDbClient elsewhereClient;
    private HttpServer cloudFormation;
    private final List<String> cloudFormationCalls = new CopyOnWriteArrayList<>();
    private final Map<String, String> stackOutputs = new HashMap<>();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        elsewhere = EmbeddedDynamoDb.start(LocalDynamoDb.freePort(), null);
        elsewhereClient = DynamoDbClients.create(Settings.fromEnvironment(
                Map.of(Settings.Variable.DYNAMODB_ENDPOINT.name(), elsewhere.endpoint().toString())));
        cloudFormation = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        cloudFormation.createContext("/", exchange -> {
            String form = URLDecoder.decode(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8);
            cloudFormationCalls.add(form);
            boolean known = form.contains("Action=DescribeStacks") && form.contains("StackName=" + STACK + "&")
                    || form.endsWith("StackName=" + STACK);
            byte[] body = (known ? describeStacks() : stackNotFound()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.sendResponseHeaders(known ? 200 : 400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        cloudFormation.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        cloudFormation.stop(0);
        elsewhereClient.close();
        elsewhere.close();
    }

    private String describeStacks() {
        StringBuilder outputs = new StringBuilder();
        stackOutputs.forEach((key, value) -> outputs.append("<member><OutputKey>").append(key)
                .append("</OutputKey><OutputValue>").append(value).append("</OutputValue></member>"));
        return "<DescribeStacksResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><DescribeStacksResult>"
                + "<Stacks><member><StackName>" + STACK + "</StackName>"
                + "<StackId>arn:aws:cloudformation:eu-central-1:123456789012:stack/" + STACK + "/1</StackId>"
                + "<CreationTime>2026-11-01T00:00:00Z</CreationTime><StackStatus>UPDATE_COMPLETE</StackStatus>"
                + "<Outputs>" + outputs + "</Outputs></member></Stacks></DescribeStacksResult>"
                + "<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeStacksResponse>";
    }

    private static String stackNotFound() {
        return "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error><Type>Sender</Type>"
                + "<Code>ValidationError</Code><Message>Stack with id nope does not exist</Message></Error>"
                + "<RequestId>2</RequestId></ErrorResponse>";
    }

    private static LocalRuntime.Options options(Map<String, String> environment) {
        return new LocalRuntime.Options(LocalDynamoDb.freePort(), 0, LocalDynamoDb.freePort(), null, environment, 0);
    }

    private PrintStream out() {
        return new PrintStream(printed, true, StandardCharsets.UTF_8);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> call(LocalRuntime runtime, String method, String token, String json)
            throws Exception {
        return ApiCalls.send(HTTP, method, runtime.apiUrl(), token, json);
    }

    @Test
    void endpointUrl_createsTheTablesItLacks_andTwoRuntimesOnItSeeEachOthersCodes() throws Exception {
        String url = elsewhere.endpoint().toString();
        ByteArrayOutputStream printedByB = new ByteArrayOutputStream();
        try (LocalRuntime a = ServeCommand.start(options(Map.of()).withEndpoint(url), out());
                LocalRuntime b = ServeCommand.start(options(Map.of()).withEndpoint(url),
                        new PrintStream(printedByB, true, StandardCharsets.UTF_8))) {
            String token = ApiCalls.adminToken(printed);

            HttpResponse<String> created = call(a, "POST", token, "{\"code\": 4321, \"email\": \"x@y.ir\"}");
            HttpResponse<String> listed = call(b, "GET", token, null);

            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(listed.body()).contains("\"count\":1").contains("\"code\":4321");
            assertThat(printed()).contains("DynamoDB: " + url + " (created the tables it lacked: ");
            assertThat(printedByB.toString(StandardCharsets.UTF_8)).contains("DynamoDB: " + url + " (the template's tables are there)")
                    .doesNotContain("Admin token");
            assertThat(a.dynamoDbEndpoint()).isEqualTo(url);
        }
        assertThat(elsewhereClient.listTables().tableNames()).hasSize(SamTemplate.load().tables("").size());
    }

    @Test
    void endpointUrl_thatNothingAnswers_failsInOneLine() {
        String url = "http://127.0.0.1:" + LocalDynamoDb.freePort();

        assertThatThrownBy(() -> ServeCommand.start(options(Map.of()).withEndpoint(url), out()))
                .isInstanceOf(ServeCommand.StartFailure.class)
                .hasMessageStartingWith("cannot use DynamoDB at " + url + ": ")
                .hasMessageNotContaining("\n");
    }

    /** The stack's tables on "AWS": the template's, under the names CloudFormation gave them. */
    private Map<String, String> deployStack() {
        SamTemplate template = SamTemplate.load();
        for (var table : template.tables(PREFIX)) {
            elsewhereClient.createTable(table);
        }
        template.tableOutputs().forEach((logicalId, output) -> stackOutputs.put(output, PREFIX + logicalId));
        Map<String, String> environment = new HashMap<>();
        environment.put(DynamoDbTarget.CLOUDFORMATION_ENDPOINT_VARIABLE, "http://127.0.0.1:" + cloudFormation.getAddress().getPort());
        environment.put(DynamoDbTarget.DYNAMODB_ENDPOINT_VARIABLE, elsewhere.endpoint().toString());
        environment.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
        environment.put("AWS_SECRET_ACCESS_KEY", "secret");
        return environment;
    }

    @Test
    void stack_servesFromTheTablesItsOutputsName_andCreatesNoTableNorToken() throws Exception {
        Map<String, String> environment = deployStack();
        List<String> tablesBefore = elsewhereClient.listTables().tableNames();

        try (LocalRuntime runtime = ServeCommand.start(options(environment).withStack(STACK, "eu-central-1", null), out())) {
            String token = new Tokens(new DynamoDbTokenRepository(elsewhereClient, PREFIX + "TokensTable"), Clock.systemUTC())
                    .issue("ops", true, true, EnumSet.allOf(Permission.class));

            HttpResponse<String> created = call(runtime, "POST", token, "{\"code\": 99, \"mobile_number\": \"09123456789\"}");

            assertThat(created.statusCode()).isEqualTo(201);
            long id = ((Number) ((Map<?, ?>) Json.parse(created.body())).get("id")).longValue();
            assertThat(elsewhereClient.getItem(r -> r.tableName(PREFIX + "OtpCodesTable")
                    .key(Map.of("id", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN(Long.toString(id))))).hasItem())
                    .isTrue();
            assertThat(call(runtime, "GET", token, null).body()).contains("\"count\":1");
        }
        assertThat(elsewhereClient.listTables().tableNames()).isEqualTo(tablesBefore);
        assertThat(printed()).contains("DynamoDB: the tables of stack " + STACK + " in eu-central-1 (")
                .contains("none is created or changed")
                .contains("Tokens: issue one with: token create --table " + PREFIX + "TokensTable")
                .doesNotContain("Admin token");
        assertThat(cloudFormationCalls).singleElement().asString().contains("Action=DescribeStacks")
                .contains("StackName=" + STACK);
    }

    @Test
    void stack_thatDoesNotExist_failsInOneLine() {
        Map<String, String> environment = deployStack();

        assertThatThrownBy(() -> ServeCommand.start(options(environment).withStack("nope", "eu-central-1", null), out()))
                .isInstanceOf(ServeCommand.StartFailure.class)
                .hasMessage("stack nope not found in eu-central-1");
    }

    @Test
    void stack_withATableMissing_failsInOneLine_andCreatesNothing() {
        Map<String, String> environment = deployStack();
        elsewhereClient.deleteTable(r -> r.tableName(PREFIX + "SummariesTable"));

        assertThatThrownBy(() -> ServeCommand.start(options(environment).withStack(STACK, "eu-central-1", null), out()))
                .isInstanceOf(ServeCommand.StartFailure.class)
                .hasMessageStartingWith("stack " + STACK + " names a table that is missing in eu-central-1: ")
                .hasMessageNotContaining("\n");
        assertThat(elsewhereClient.listTables().tableNames()).doesNotContain(PREFIX + "SummariesTable");
    }

    @Test
    void stack_deployedFromAnOlderTemplate_withoutAnOutput_failsInOneLine() {
        Map<String, String> environment = deployStack();
        stackOutputs.remove("SummariesTableName");

        assertThatThrownBy(() -> ServeCommand.start(options(environment).withStack(STACK, "eu-central-1", null), out()))
                .hasMessageStartingWith("stack " + STACK + " has no output SummariesTableName");
    }

    @Test
    void stack_withoutCredentials_failsInOneLine_beforeAnyCall() {
        Map<String, String> environment = deployStack();
        environment.remove("AWS_ACCESS_KEY_ID");
        environment.remove("AWS_SECRET_ACCESS_KEY");

        assertThatThrownBy(() -> ServeCommand.start(options(environment).withStack(STACK, "eu-central-1", "no-such-profile"),
                out()))
                .isInstanceOf(ServeCommand.StartFailure.class)
                .hasMessageStartingWith("no AWS credentials in profile no-such-profile: ")
                .hasMessageNotContaining("\n");
        assertThat(cloudFormationCalls).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--endpoint-url http://x:1 --stack s      | --endpoint-url and --stack exclude each other",
        "--endpoint-url http://x:1 --in-memory    | --endpoint-url serves from another DynamoDB",
        "--stack s --data-dir d                   | --stack serves from another DynamoDB",
        "--stack s --dynamodb-port 8001           | --stack serves from another DynamoDB",
        "--region eu-west-1                       | --region and --profile go with --stack",
        "--endpoint-url http://x:1 --profile p    | --region and --profile go with --stack",
        "--endpoint-url localhost:8000            | --endpoint-url must be a URL with its scheme",
        "--stack                                  | --stack needs a value",
    })
    void serve_refusesTargetsThatCannotGoTogether(String args, String error) {
        assertThat(ServeCommand.parse(args.split(" "), Map.of()).error()).startsWith(error);
    }

    @Test
    void serve_readsEachTarget() {
        LocalRuntime.Options endpoint = ServeCommand.parse(new String[] {"--endpoint-url", "http://127.0.0.1:9000"}, Map.of())
                .options();
        LocalRuntime.Options stack = ServeCommand.parse(new String[] {"--stack", "s", "--region", "eu-west-1", "--profile",
                "ops"}, Map.of()).options();
        LocalRuntime.Options embedded = ServeCommand.parse(new String[] {"--in-memory"}, Map.of()).options();

        assertThat(endpoint.dynamoDb()).isEqualTo(new DynamoDbTarget.Endpoint("http://127.0.0.1:9000"));
        assertThat(stack.dynamoDb()).isEqualTo(new DynamoDbTarget.DeployedStack("s", "eu-west-1", "ops"));
        assertThat(embedded.dynamoDb()).isEqualTo(new DynamoDbTarget.Embedded(8000, null));
    }

    @Test
    void importWithStack_writesCodesAndTokensIntoTheTablesItsOutputsName_andCreatesNoTable(@TempDir Path dir) throws Exception {
        Map<String, String> environment = deployStack();
        List<String> tablesBefore = elsewhereClient.listTables().tableNames();
        Path codes = Exports.write(dir, "codes.csv", ImportCodesTest.HEADER, List.of(
                List.of("77", "1234", "09123456789", "", "2099-01-01 00:00:00+00", "2026-12-01 00:00:00+00", "2026-12-01 00:00:00+00")));
        Path tokens = Exports.write(dir, "tokens.csv", ImportTokensTest.HEADER, List.of(
                List.of("a".repeat(40), "t", "t", "f", "2852", "ops")));
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8);

        int codesExit = ImportCommand.run(new String[] {"codes", codes.toString(), "--stack", STACK, "--region", "eu-central-1"},
                environment, out, out);
        int tokensExit = ImportCommand.run(new String[] {"tokens", tokens.toString(), "--stack", STACK, "--region", "eu-central-1"},
                environment, out, out);

        assertThat(codesExit).as(report.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(tokensExit).as(report.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(elsewhereClient.getItem(r -> r.tableName(PREFIX + "OtpCodesTable")
                .key(Map.of("id", AttributeValue.fromN("77")))).item()).containsEntry("code", AttributeValue.fromN("1234"));
        assertThat(elsewhereClient.getItem(r -> r.tableName(PREFIX + "TokensTable")
                .key(Map.of("token_hash", AttributeValue.fromS(TokenHash.sha256("a".repeat(40)))))).item())
                .containsEntry("name", AttributeValue.fromS("ops"));
        assertThat(elsewhereClient.listTables().tableNames()).isEqualTo(tablesBefore);
    }
}
