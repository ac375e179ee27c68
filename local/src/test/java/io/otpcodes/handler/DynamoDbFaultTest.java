package io.otpcodes.handler;

import static io.otpcodes.local.testing.FaultyDynamoDbProxy.Fault.DELAY;
import static io.otpcodes.local.testing.FaultyDynamoDbProxy.Fault.ERROR_500;
import static io.otpcodes.local.testing.FaultyDynamoDbProxy.Fault.ERROR_500_AFTER_WRITE;
import static io.otpcodes.local.testing.FaultyDynamoDbProxy.Fault.NONE;
import static io.otpcodes.local.testing.FaultyDynamoDbProxy.Fault.THROTTLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otpcodes.api.Route;
import io.otpcodes.auth.Unauthorized;
import io.otpcodes.config.Settings;
import io.otpcodes.domain.Messages;
import io.otpcodes.domain.OtpCodeRepository;
import io.otpcodes.json.Json;
import io.otpcodes.local.ProxyEvent;
import io.otpcodes.local.testing.FaultyDynamoDbProxy;
import io.otpcodes.local.testing.Invocation;
import io.otpcodes.local.testing.Invocation.Response;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import io.otpcodes.store.DynamoDbClients;
import io.otpcodes.store.DynamoDbOtpCodeRepository;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** DynamoDB throttling, failing and timing out, injected on the wire: retries, 503s, no partial writes. */
class DynamoDbFaultTest {

    private TestStack stack;
    private FaultyDynamoDbProxy proxy;
    private DynamoDbClient faulty;
    private Settings settings;

    @BeforeEach
    void setUp() throws Exception {
        stack = LocalDynamoDb.newStack();
        proxy = new FaultyDynamoDbProxy(LocalDynamoDb.endpoint());
        settings = stack.settings(Map.of(Settings.Variable.DYNAMODB_ENDPOINT.name(), proxy.endpoint().toString()));
        faulty = DynamoDbClients.create(settings, Duration.ofMillis(400), Duration.ofSeconds(4));
    }

    @AfterEach
    void tearDown() {
        faulty.close();
        proxy.close();
    }

    private Response create(String body) {
        return Invocation.invoke(new CreateOtpCodeHandler(settings, faulty),
                ProxyEvent.request("POST", "/api/notifications/otp/").resource(Route.COLLECTION).jsonBody(body));
    }

    private long storedCodes() {
        return stack.dynamoDb().scan(r -> r.tableName(stack.otpTable())).count();
    }

    @Test
    void throttledPuts_areRetried_andTheCreateSucceedsOnce() {
        proxy.rule((op, attempt) -> op.equals("TransactWriteItems") && attempt <= 2 ? THROTTLE : NONE);

        Response response = create("{\"code\": 1, \"email\": \"a@b.ir\"}");

        assertThat(response.status()).isEqualTo(201);
        assertThat(proxy.attempts("TransactWriteItems")).isEqualTo(3);
        assertThat(storedCodes()).isEqualTo(1);
    }

    @Test
    void putsFailingPastTheRetries_answer503_leaveNoItem_andOnlyAGapInIds() {
        proxy.rule((op, attempt) -> op.equals("TransactWriteItems") ? ERROR_500 : NONE);

        Response failed = create("{\"code\": 1, \"email\": \"a@b.ir\"}");
        proxy.rule((op, attempt) -> NONE);
        Response next = create("{\"code\": 2, \"email\": \"a@b.ir\"}");

        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.object()).isEqualTo(Map.of("detail", Messages.SERVICE_UNAVAILABLE));
        assertThat(next.object()).containsEntry("id", 2L);
        assertThat(storedCodes()).isEqualTo(1);
    }

    @Test
    void aPutWhoseAnswerWasLost_isRecognisedOnRetry_notDuplicatedNorRefused() {
        proxy.rule((op, attempt) -> op.equals("TransactWriteItems") && attempt == 1 ? ERROR_500_AFTER_WRITE : NONE);

        Response response = create("{\"code\": 7, \"email\": \"a@b.ir\"}");

        assertThat(response.status()).isEqualTo(201);
        assertThat(proxy.attempts("TransactWriteItems")).isEqualTo(2);
        assertThat(storedCodes()).isEqualTo(1);
    }

    @Test
    void aCounterIncrementWhoseAnswerWasLost_skipsAnId_butNeverRepeatsOne() {
        proxy.rule((op, attempt) -> op.equals("UpdateItem") && attempt == 1 ? ERROR_500_AFTER_WRITE : NONE);

        Response first = create("{\"code\": 1, \"email\": \"a@b.ir\"}");
        Response second = create("{\"code\": 2, \"email\": \"a@b.ir\"}");

        assertThat(first.object()).containsEntry("id", 2L);
        assertThat(second.object()).containsEntry("id", 3L);
        assertThat(storedCodes()).isEqualTo(2);
    }

    @Test
    void readsTimingOutEveryAttempt_answer503WithinTheCallTimeout() {
        Response created = create("{\"code\": 1, \"email\": \"a@b.ir\"}");
        proxy.delayMillis(1000);
        proxy.rule((op, attempt) -> op.equals("GetItem") ? DELAY : NONE);
        long start = System.nanoTime();

        Response response = Invocation.invoke(new ListOtpCodesHandler(settings, faulty), ProxyEvent.request("GET",
                "/api/notifications/otp/1/").resource(Route.ITEM).pathParameter("id", created.object().get("id").toString()));

        assertThat(response.status()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        assertThat(proxy.attempts("GetItem")).isGreaterThan(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "b.ir", "ordering=-code"})
    void throttledQueries_areRetried_andTheListIsComplete(String query) {
        create("{\"code\": 1, \"email\": \"a@b.ir\"}");
        create("{\"code\": 2, \"email\": \"a@b.ir\"}");
        // the summaries' and the lines' reads, the first two attempts of each list
        proxy.rule((op, attempt) -> op.equals("Query") && attempt <= 2 ? THROTTLE : NONE);
        ProxyEvent request = ProxyEvent.request("GET", "/api/notifications/otp/").resource(Route.COLLECTION);
        if (query.contains("=")) {
            request.query(query.substring(0, query.indexOf('=')), query.substring(query.indexOf('=') + 1));
        } else if (!query.isEmpty()) {
            request.query("search", query);
        }

        Response response = Invocation.invoke(new ListOtpCodesHandler(settings, faulty), request);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.object()).containsEntry("count", 2L);
        assertThat(proxy.attempts("Query")).isGreaterThan(2);
    }

    @Test
    void readPriming_onATableNotBackfilledYet_neverScansTheTable() {
        create("{\"code\": 1, \"email\": \"a@b.ir\"}");
        stack.makeNotBackfilled();
        proxy.rule((op, attempt) -> NONE);

        new DynamoDbOtpCodeRepository(faulty, settings).warmUp(OtpCodeRepository.Use.READ);

        // the one Scan of one item it primes on purpose, not a list's parallel pass
        assertThat(proxy.attempts("Scan")).isEqualTo(1);
        assertThat(proxy.attempts("Query")).isGreaterThan(2);
    }

    @Test
    void updatesFailing_answer503_andChangeNothing() {
        Response created = create("{\"code\": 1, \"email\": \"a@b.ir\"}");
        // a PATCH writes the code and its line in one transaction
        proxy.rule((op, attempt) -> op.equals("TransactWriteItems") ? ERROR_500 : NONE);

        Response response = Invocation.invoke(new UpdateOtpCodeHandler(settings, faulty), ProxyEvent.request("PATCH",
                "/api/notifications/otp/1/").resource(Route.ITEM).pathParameter("id", created.object().get("id").toString())
                .jsonBody("{\"code\": 2}"));

        assertThat(response.status()).isEqualTo(503);
        assertThat(stack.dynamoDb().scan(r -> r.tableName(stack.otpTable())).items().get(0).get("code").n()).isEqualTo("1");
    }

    @Test
    void directInvocation_throwsServiceUnavailable() {
        proxy.rule((op, attempt) -> op.equals("TransactWriteItems") ? THROTTLE : NONE);

        assertThatThrownBy(() -> new CreateOtpCodeHandler(settings, faulty).handleRequest(
                new ByteArrayInputStream("{\"code\": 1, \"email\": \"a@b.ir\"}".getBytes()), new ByteArrayOutputStream(), null))
                .isInstanceOf(ServiceUnavailable.class);
    }

    @Test
    void theAuthorizer_failsClosed_whenTheTokenTableFails() {
        proxy.rule((op, attempt) -> ERROR_500);
        TokenAuthorizerHandler authorizer = new TokenAuthorizerHandler(settings, faulty);
        byte[] event = Json.writeBytes(Map.of("type", "REQUEST",
                "methodArn", "arn:aws:execute-api:local:000000000000:api/api/GET/api/notifications/otp",
                "headers", Map.of("Authorization", "Token 0123456789abcdef0123456789abcdef01234567")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatThrownBy(() -> authorizer.handleRequest(new ByteArrayInputStream(event), out, null))
                .isNotInstanceOf(Unauthorized.class);
        assertThat(out.size()).as("no policy written").isZero();
    }
}
