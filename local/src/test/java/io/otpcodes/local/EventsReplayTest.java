package io.otpcodes.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.otpcodes.api.Route;
import io.otpcodes.auth.ApiToken;
import io.otpcodes.auth.DynamoDbTokenRepository;
import io.otpcodes.auth.Permission;
import io.otpcodes.auth.TokenHash;
import io.otpcodes.json.Json;
import io.otpcodes.local.testing.Invocation;
import io.otpcodes.local.testing.Invocation.Response;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays every file in events/ through the function template.yaml routes it to, as
 * {@code sam local invoke -e} would, against DynamoDB Local. A new file with no route fails here.
 */
class EventsReplayTest {

    static final Path EVENTS = Path.of(System.getProperty("basedir", ".")).resolve("../events").normalize();

    private static TestStack stack;

    /** What each sample event must produce, on a fresh stack, replayed in this order. */
    /** The HTTP status each API Gateway event (and the authorizer's, as its policy decides) must produce. */
    private static final Map<String, Integer> EXPECTED_STATUS = Map.ofEntries(
            Map.entry("create.json", 201),
            Map.entry("retrieve.json", 200),
            Map.entry("update.json", 200),
            Map.entry("replace.json", 200),
            Map.entry("list.json", 200),
            Map.entry("list-filtered.json", 200),
            Map.entry("authorizer.json", 200));

    /** Direct-invocation payloads name their function: direct-{create,list,retrieve,update}.json. */
    private static final Map<String, Route.Function> DIRECT = Map.of(
            "direct-create.json", Route.Function.CREATE,
            "direct-list.json", Route.Function.LIST,
            "direct-retrieve.json", Route.Function.LIST,
            "direct-update.json", Route.Function.UPDATE);


    @BeforeAll
    static void setUp() {
        stack = LocalDynamoDb.newStack();
    }

    static List<Path> eventFiles() throws IOException {
        try (Stream<Path> files = Files.list(EVENTS)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void everyEventFile_hasAnExpectedOutcome() throws IOException {
        assertThat(eventFiles().stream().map(f -> f.getFileName().toString()))
                .containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(EXPECTED_STATUS.keySet().stream(),
                        DIRECT.keySet().stream()).collect(Collectors.toList()));
    }

    @Test
    void everyApiEvent_replaysThroughItsFunction() throws IOException {
        Response created = replay("create.json");
        assertThat(created.status()).isEqualTo(EXPECTED_STATUS.get("create.json"));
        assertThat(created.object()).containsEntry("id", 1L).containsEntry("code", 255315L)
                .containsEntry("recipient", "09123256545").containsEntry("valid_to", "2035-12-30T14:39:10.268800Z");

        Response retrieved = replay("retrieve.json");
        assertThat(retrieved.status()).isEqualTo(EXPECTED_STATUS.get("retrieve.json"));
        assertThat(retrieved.object()).containsEntry("id", 1L).containsEntry("code", 255315L);

        Response updated = replay("update.json");
        assertThat(updated.status()).isEqualTo(EXPECTED_STATUS.get("update.json"));
        assertThat(updated.object()).containsEntry("mobile_number", null).containsEntry("recipient", "info@moeinmail.ir");

        Response replaced = replay("replace.json");
        assertThat(replaced.status()).isEqualTo(EXPECTED_STATUS.get("replace.json"));
        assertThat(replaced.object()).containsEntry("code", 255316L).containsEntry("email", null)
                .containsEntry("recipient", "09123256545").containsEntry("valid_to", "2036-01-01T00:00:00Z");

        Response listed = replay("list.json");
        assertThat(listed.status()).isEqualTo(EXPECTED_STATUS.get("list.json"));
        assertThat(listed.object()).containsEntry("count", 1L).containsEntry("next", null);

        Response filtered = replay("list-filtered.json");
        assertThat(filtered.status()).isEqualTo(EXPECTED_STATUS.get("list-filtered.json"));
        assertThat(filtered.object()).containsEntry("count", 1L);
    }

    @Test
    @SuppressWarnings("unchecked")
    void directPayloads_replayThroughTheirFunctions_returningTheApisJson() throws IOException {
        TestStack own = LocalDynamoDb.newStack();
        Map<String, Object> created = (Map<String, Object>) direct("direct-create.json", own);
        assertThat(created).containsEntry("id", 1L).containsEntry("recipient", "billing@example.com");
        assertThat(direct("direct-retrieve.json", own)).isEqualTo(withTtl(created, ((Map<String, Object>) direct("direct-retrieve.json", own)).get("ttl")));
        Map<String, Object> updated = (Map<String, Object>) direct("direct-update.json", own);
        assertThat(updated).containsEntry("code", 234223L).containsEntry("valid_to", "2036-01-01T00:00:00Z");
        Map<String, Object> listed = (Map<String, Object>) direct("direct-list.json", own);
        assertThat(listed).containsEntry("count", 1L).containsKeys("next", "previous", "results");
    }

    private static Map<String, Object> withTtl(Map<String, Object> code, Object ttl) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(code);
        copy.put("ttl", ttl);
        return copy;
    }

    static Object direct(String file, TestStack on) throws IOException {
        RequestStreamHandler handler = FunctionLoader.load(DIRECT.get(file).handlerClass(), on.settings(), on.dynamoDb());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Files.readAllBytes(EVENTS.resolve(file))), out, null);
        return Json.parse(out.toByteArray());
    }

    @Test
    @SuppressWarnings("unchecked")
    void authorizerEvent_replaysThroughTheApisAuthorizer() throws IOException {
        byte[] event = Files.readAllBytes(EVENTS.resolve("authorizer.json"));
        String header = (String) ((Map<String, Object>) ((Map<String, Object>) Json.parse(event)).get("headers")).get("Authorization");
        new DynamoDbTokenRepository(stack.dynamoDb(), stack.settings().tokenTableName()).save(
                TokenHash.sha256(header.substring("Token ".length())),
                new ApiToken("ops-console", true, true, false, Set.of(Permission.VIEW), Instant.now()));
        String authorizer = ApiDefinition.of(LocalDynamoDb.template()).authorizerFunction();
        RequestStreamHandler handler = FunctionLoader.load(LocalDynamoDb.template().function(authorizer).handlerClass(),
                stack.settings(), stack.dynamoDb());
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler.handleRequest(new ByteArrayInputStream(event), out, null);

        Map<String, Object> answer = (Map<String, Object>) Json.parse(out.toByteArray());
        assertThat(answer).containsEntry("principalId", "ops-console");
        String methodArn = (String) ((Map<String, Object>) Json.parse(event)).get("methodArn");
        assertThat(IamPolicy.allows((Map<String, Object>) answer.get("policyDocument"), methodArn) ? 200 : 403)
                .isEqualTo(EXPECTED_STATUS.get("authorizer.json"));
    }

    static Response replay(String file) throws IOException {
        byte[] event = Files.readAllBytes(EVENTS.resolve(file));
        return Invocation.invoke(handlerFor(event), event);
    }

    /** The function whose template event matches the event's method and resource. */
    static RequestStreamHandler handlerFor(byte[] eventBytes) {
        @SuppressWarnings("unchecked")
        Map<String, Object> event = (Map<String, Object>) Json.parse(eventBytes);
        SamTemplate template = LocalDynamoDb.template();
        for (SamTemplate.Function function : template.functions()) {
            for (SamTemplate.ApiEvent api : function.events()) {
                if (api.method().equals(event.get("httpMethod")) && api.path().equals(event.get("resource"))) {
                    return FunctionLoader.load(function.handlerClass(), stack.settings(), stack.dynamoDb());
                }
            }
        }
        throw new AssertionError("no function in template.yaml serves " + event.get("httpMethod") + " " + event.get("resource"));
    }
}
