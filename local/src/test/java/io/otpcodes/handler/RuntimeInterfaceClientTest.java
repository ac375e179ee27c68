package io.otpcodes.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.json.Json;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.RuntimeApiEmulator;
import io.otpcodes.local.testing.RuntimeApiEmulator.Result;
import io.otpcodes.local.testing.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The create function in its own JVM under Amazon's Lambda runtime interface client, talking
 * to a loopback Runtime API: proof that the stream handler works with the real runtime's I/O
 * for API events, direct payloads and typed errors.
 */
class RuntimeInterfaceClientTest {

    @Test
    @SuppressWarnings("unchecked")
    void createFunction_underTheRealRuntime_servesEventsAndReportsTypedErrors() throws Exception {
        TestStack stack = LocalDynamoDb.newStack();
        try (RuntimeApiEmulator runtimeApi = new RuntimeApiEmulator()) {
            ProcessBuilder builder = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"),
                    "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                    CreateOtpCodeHandler.class.getName() + "::handleRequest");
            builder.environment().putAll(stack.environment());
            builder.environment().put("AWS_LAMBDA_RUNTIME_API", runtimeApi.address());
            builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", "CreateOtpCodeFunction");
            builder.environment().put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            builder.environment().put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
            builder.environment().put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/CreateOtpCodeFunction");
            builder.environment().put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
            // as the template deploys it: LoggingConfig LogFormat JSON
            builder.environment().put("AWS_LAMBDA_LOG_FORMAT", "JSON");
            builder.redirectErrorStream(true);
            Path log = Files.createTempFile("ric", ".log");
            builder.redirectOutput(log.toFile());
            Process function = builder.start();
            try {
                String apiEvent = Files.readString(EventsPath.EVENTS.resolve("create.json"));
                Result created = runtimeApi.invoke("req-1", apiEvent).get(60, TimeUnit.SECONDS);
                Result invalid = runtimeApi.invoke("req-2", "{\"code\": \"x\", \"email\": \"a@b.ir\"}").get(30, TimeUnit.SECONDS);
                Result direct = runtimeApi.invoke("req-3", "{\"code\": 7, \"email\": \"a@b.ir\"}").get(30, TimeUnit.SECONDS);

                assertThat(created.error()).as(Files.readString(log)).isFalse();
                Map<String, Object> proxy = (Map<String, Object>) Json.parse(created.body());
                assertThat(proxy.get("statusCode")).isEqualTo(201L);
                assertThat((Map<String, Object>) Json.parse((String) proxy.get("body"))).containsEntry("code", 255315L);

                assertThat(invalid.error()).isTrue();
                Map<String, Object> error = (Map<String, Object>) Json.parse(invalid.body());
                assertThat(error.get("errorType")).isEqualTo(ValidationError.class.getName());
                assertThat(Json.parse((String) error.get("errorMessage")))
                        .isEqualTo(Map.of("code", List.of("A valid integer is required.")));

                assertThat(direct.error()).isFalse();
                assertThat((Map<String, Object>) Json.parse(direct.body())).containsEntry("recipient", "a@b.ir")
                        .doesNotContainKey("statusCode");
                assertThat(Files.readString(log)).contains("\"route\":\"POST /api/notifications/otp\"")
                        .contains("\"principal\":\"ops-console\"").doesNotContain("255315")
                        .as("no SLF4J binding warning at cold start").doesNotContain("SLF4J");
                // each request line is one JSON object whose fields Logs Insights can query, not
                // an escaped string inside the runtime's "message"
                Map<String, Object> requestLine = Files.readAllLines(log).stream()
                        .filter(l -> l.startsWith("{") && l.contains("\"route\":\"POST "))
                        .map(l -> (Map<String, Object>) Json.parse(l)).findFirst().orElseThrow();
                assertThat(requestLine).containsEntry("level", "INFO").containsEntry("route", "POST /api/notifications/otp")
                        .containsEntry("status", 201L).containsKey("timestamp").doesNotContainKey("message");
            } finally {
                function.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Where events/ is, from the test's working folder. */
    static final class EventsPath {
        static final Path EVENTS = Path.of(System.getProperty("basedir", ".")).resolve("../events").normalize();
    }
}
