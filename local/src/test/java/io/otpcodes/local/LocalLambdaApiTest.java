package io.otpcodes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.sun.net.httpserver.HttpServer;
import io.otpcodes.handler.NotFound;
import io.otpcodes.handler.ValidationError;
import io.otpcodes.json.Json;
import io.otpcodes.local.testing.LocalDynamoDb;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvalidRequestContentException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.RequestTooLargeException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * The local runtime's Lambda Invoke API, driven by AWS's own {@code LambdaClient} with an
 * endpoint override, as a Step Functions task or another function would call it on AWS.
 */
class LocalLambdaApiTest {

    private static final Path EVENTS = Path.of(System.getProperty("basedir", ".")).resolve("../events").normalize();

    private static LocalRuntime runtime;
    private static LambdaClient lambda;
    private static ByteArrayOutputStream printed;

    @BeforeAll
    static void start() throws Exception {
        printed = new ByteArrayOutputStream();
        runtime = LocalRuntime.start(new LocalRuntime.Options(LocalDynamoDb.freePort(), 0, LocalDynamoDb.freePort(), null,
                Map.of(), 0), new PrintStream(printed, true, StandardCharsets.UTF_8));
        lambda = LambdaClient.builder()
                .endpointOverride(URI.create(runtime.lambdaUrl()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        lambda.close();
        runtime.close();
    }

    private static InvokeResponse invoke(String function, String payload) {
        return lambda.invoke(r -> r.functionName(function).payload(SdkBytes.fromUtf8String(payload)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(InvokeResponse response) {
        return (Map<String, Object>) Json.parse(response.payload().asByteArray());
    }

    @Test
    void start_printsTheLambdaEndpoint() {
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Lambda: " + runtime.lambdaUrl() + "\n");
        assertThat(runtime.lambdaUrl()).startsWith("http://127.0.0.1:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CreateOtpCodeFunction", "CreateOtpCodeFunction:live", "CreateOtpCodeFunction:$LATEST",
            "000000000000:function:CreateOtpCodeFunction", "arn:aws:lambda:us-east-1:000000000000:function:CreateOtpCodeFunction:live"})
    void requestResponse_everyNameForm_returnsTheFunctionsPayload(String name) throws Exception {
        InvokeResponse response = invoke(name, Files.readString(EVENTS.resolve("direct-create.json")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isNull();
        assertThat(response.executedVersion()).isEqualTo("$LATEST");
        assertThat(json(response)).containsEntry("code", 481516L).containsEntry("email", "billing@example.com")
                .containsKey("id").doesNotContainKey("statusCode");
    }

    @Test
    void qualifierParameter_live_invokesTheAlias() {
        InvokeResponse response = lambda.invoke(r -> r.functionName("ListOtpCodesFunction").qualifier("live")
                .payload(SdkBytes.fromUtf8String("{\"limit\": 1}")));

        assertThat(response.functionError()).isNull();
        assertThat(json(response)).containsKeys("count", "next", "previous", "results");
    }

    @Test
    void invalidPayload_isAnUnhandledFunctionErrorNamingTheTypedError() {
        InvokeResponse response = invoke("CreateOtpCodeFunction", "{\"code\": -1, \"email\": \"nope\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isEqualTo("Unhandled");
        Map<String, Object> error = json(response);
        assertThat(error.get("errorType")).isEqualTo(ValidationError.class.getName());
        assertThat(Json.parse((String) error.get("errorMessage"))).isEqualTo(Map.of(
                "code", List.of("Ensure this value is greater than or equal to 0."),
                "email", List.of("Enter a valid email address.")));
        assertThat(error.get("stackTrace")).isEqualTo(List.of());
    }

    @Test
    void updateOfAMissingCode_isTheNotFoundError() {
        InvokeResponse response = invoke("UpdateOtpCodeFunction", "{\"id\": 987654321, \"code\": 1}");

        assertThat(response.functionError()).isEqualTo("Unhandled");
        assertThat(json(response).get("errorType")).isEqualTo(NotFound.class.getName());
    }

    @Test
    void unknownFunctionOrQualifier_isResourceNotFound() {
        assertThatThrownBy(() -> invoke("NoSuchFunction", "{}"))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Function not found: arn:aws:lambda:us-east-1:000000000000:function:NoSuchFunction")
                .satisfies(e -> assertThat(((ResourceNotFoundException) e).statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> invoke("CreateOtpCodeFunction:7", "{}"))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("function:CreateOtpCodeFunction:7");
    }

    @Test
    void eventInvocation_isAcceptedWith202AndRuns() throws Exception {
        String email = "event-" + System.nanoTime() + "@example.com";
        InvokeResponse accepted = lambda.invoke(r -> r.functionName("CreateOtpCodeFunction")
                .invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{\"code\": 5, \"email\": \"" + email + "\"}")));

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.payload().asByteArray()).isEmpty();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Object count;
        do {
            Thread.sleep(20);
            count = json(invoke("ListOtpCodesFunction", "{\"email\": \"" + email + "\"}")).get("count");
        } while (!Long.valueOf(1).equals(count) && System.nanoTime() < deadline);
        assertThat(count).isEqualTo(1L);
    }

    @Test
    void dryRun_answers204ForEveryFunctionOfTheTemplate() {
        for (SamTemplate.Function function : SamTemplate.load().functions()) {
            InvokeResponse response = lambda.invoke(r -> r.functionName(function.logicalId())
                    .invocationType(InvocationType.DRY_RUN).payload(SdkBytes.fromUtf8String("{}")));
            assertThat(response.statusCode()).as(function.logicalId()).isEqualTo(204);
        }
    }

    @Test
    void dryRun_writesNothing() {
        String email = "dry-" + System.nanoTime() + "@example.com";
        lambda.invoke(r -> r.functionName("CreateOtpCodeFunction").invocationType(InvocationType.DRY_RUN)
                .payload(SdkBytes.fromUtf8String("{\"code\": 5, \"email\": \"" + email + "\"}")));

        assertThat(json(invoke("ListOtpCodesFunction", "{\"email\": \"" + email + "\"}"))).containsEntry("count", 0L);
    }

    @Test
    void payloadOverSixMegabytes_isRefusedAsLambdaRefusesIt() {
        String big = "{\"code\": 1, \"email\": \"" + "a".repeat(LocalLambdaApi.MAX_SYNC_PAYLOAD_BYTES) + "\"}";

        assertThatThrownBy(() -> invoke("CreateOtpCodeFunction", big))
                .isInstanceOf(RequestTooLargeException.class)
                .hasMessageContaining("Request must be smaller than 6291456 bytes for the InvokeFunction operation");
    }

    @Test
    void eventPayloadOverOneMegabyte_isRefused() {
        String big = "{\"code\": 1, \"email\": \"" + "a".repeat(LocalLambdaApi.MAX_EVENT_PAYLOAD_BYTES) + "\"}";

        assertThatThrownBy(() -> lambda.invoke(r -> r.functionName("CreateOtpCodeFunction")
                .invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String(big))))
                .isInstanceOf(LambdaException.class)
                .hasMessageContaining("too large for the Event invocation type")
                .satisfies(e -> assertThat(((LambdaException) e).statusCode()).isEqualTo(413));
    }

    @Test
    void payloadThatIsNotJson_isInvalidRequestContent() {
        assertThatThrownBy(() -> invoke("CreateOtpCodeFunction", "{not json"))
                .isInstanceOf(InvalidRequestContentException.class)
                .hasMessageContaining("Could not parse request body into json");
    }

    @Test
    void logTypeTail_returnsTheInvocationsLogLines() {
        InvokeResponse response = lambda.invoke(r -> r.functionName("ListOtpCodesFunction").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{\"limit\": 1}")));

        String tail = new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
        assertThat(tail).startsWith("START RequestId: ").contains("\"route\":\"direct\"").contains("REPORT RequestId: ");
    }

    /** Failures only a misbehaving function shows, with stub handlers (the real ones do not misbehave). */
    @Test
    void misbehavingFunctions_failAsLambdaReportsThem() throws Exception {
        RequestStreamHandler slow = (in, out, context) -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        RequestStreamHandler huge = (in, out, context) -> out.write(new byte[LocalLambdaApi.MAX_SYNC_PAYLOAD_BYTES + 1]);
        RequestStreamHandler broken = (in, out, context) -> {
            throw new IllegalStateException("broken on purpose");
        };
        ExecutorService invocations = Executors.newCachedThreadPool();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(invocations);
        server.createContext("/", new LocalLambdaApi(List.of(
                new LocalLambdaApi.LambdaFunction("Slow", slow, 1, 128, "live"),
                new LocalLambdaApi.LambdaFunction("Huge", huge, 5, 128, "live"),
                new LocalLambdaApi.LambdaFunction("Broken", broken, 5, 128, "live")), invocations,
                new PrintStream(OutputStream.nullOutputStream())));
        server.start();
        try (LambdaClient client = LambdaClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            long start = System.nanoTime();
            InvokeResponse timedOut = client.invoke(r -> r.functionName("Slow"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(timedOut.functionError()).isEqualTo("Unhandled");
            assertThat(json(timedOut)).containsEntry("errorType", "Sandbox.Timedout");
            assertThat((String) json(timedOut).get("errorMessage")).endsWith("Task timed out after 1.00 seconds");

            InvokeResponse tooLarge = client.invoke(r -> r.functionName("Huge"));
            assertThat(tooLarge.functionError()).isEqualTo("Unhandled");
            assertThat(json(tooLarge)).containsEntry("errorType", "Function.ResponseSizeTooLarge");

            InvokeResponse thrown = client.invoke(r -> r.functionName("Broken"));
            assertThat(json(thrown)).containsEntry("errorType", "java.lang.IllegalStateException")
                    .containsEntry("errorMessage", "broken on purpose");
            assertThat((List<?>) json(thrown).get("stackTrace")).isNotEmpty();
        } finally {
            server.stop(0);
            invocations.shutdownNow();
        }
    }

    @Test
    void nameForms_parseAsLambdaDoes() {
        assertThat(LocalLambdaApi.functionReference("F")).containsExactly("F", null);
        assertThat(LocalLambdaApi.functionReference("F:live")).containsExactly("F", "live");
        assertThat(LocalLambdaApi.functionReference("123456789012:function:F")).containsExactly("F", null);
        assertThat(LocalLambdaApi.functionReference("arn:aws:lambda:eu-west-1:123456789012:function:F:1"))
                .containsExactly("F", "1");
        assertThat(LocalLambdaApi.functionReference("a:b:c:d")[0]).isEqualTo("a:b:c:d");
    }
}
