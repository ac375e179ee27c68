package io.otpcodes.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.api.Route;
import io.otpcodes.domain.Messages;
import io.otpcodes.local.ProxyEvent;
import io.otpcodes.local.testing.Invocation;
import io.otpcodes.local.testing.Invocation.Response;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class UpdateOtpCodeTest {

    private static TestStack stack;
    private static CreateOtpCodeHandler create;
    private static UpdateOtpCodeHandler update;

    @BeforeAll
    static void setUp() {
        stack = LocalDynamoDb.newStack();
        create = new CreateOtpCodeHandler(stack.settings(), stack.dynamoDb());
        update = new UpdateOtpCodeHandler(stack.settings(), stack.dynamoDb());
    }

    static Map<String, Object> created(String json) {
        Response response = Invocation.invoke(create, ProxyEvent.request("POST", "/api/notifications/otp/")
                .resource(Route.COLLECTION).jsonBody(json));
        assertThat(response.status()).isEqualTo(201);
        return response.object();
    }

    static Map<String, Object> mobileCode() {
        return created("{\"code\": 1111, \"mobile_number\": \"09121234567\", \"valid_to\": \"2035-06-01T12:00:00Z\"}");
    }

    static Response send(String method, Object id, String json) {
        return Invocation.invoke(update, ProxyEvent.request(method, "/api/notifications/otp/" + id + "/")
                .resource(Route.ITEM).pathParameter("id", String.valueOf(id)).jsonBody(json));
    }

    static Response patch(Object id, String json) {
        return send("PATCH", id, json);
    }

    static Response put(Object id, String json) {
        return send("PUT", id, json);
    }

    static Map<String, AttributeValue> rawItem(Object id) {
        return stack.dynamoDb().getItem(r -> r.tableName(stack.otpTable()).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromN(String.valueOf(id))))).item();
    }

    @Test
    void patch_code_changesOnlyTheCodeAndUpdatedAt() throws InterruptedException {
        Map<String, Object> before = mobileCode();
        Thread.sleep(2);

        Response response = patch(before.get("id"), "{\"code\": 2222}");

        assertThat(response.status()).isEqualTo(200);
        Map<String, Object> after = response.object();
        assertThat(after).containsEntry("code", 2222L)
                .containsEntry("mobile_number", "09121234567")
                .containsEntry("valid_to", "2035-06-01T12:00:00Z")
                .containsEntry("created_at", before.get("created_at"));
        assertThat(Instant.parse((String) after.get("updated_at")))
                .isAfter(Instant.parse((String) before.get("updated_at")));
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
    }

    @Test
    void patch_mobileNullAndEmail_switchesTheRecipient() {
        Map<String, Object> code = mobileCode();

        Response response = patch(code.get("id"), "{\"mobile_number\": null, \"email\": \"Some@Email.com\"}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.object()).containsEntry("mobile_number", null)
                .containsEntry("email", "Some@Email.com")
                .containsEntry("recipient", "Some@Email.com");
        Map<String, AttributeValue> item = rawItem(code.get("id"));
        assertThat(item).doesNotContainKey("mobile_number");
        assertThat(item.get("email_key").s()).isEqualTo("some@email.com");
    }

    @Test
    void patch_emailOnACodeWithAMobile_returns400AndChangesNothing() {
        Map<String, Object> code = mobileCode();
        Map<String, AttributeValue> before = rawItem(code.get("id"));

        Response response = patch(code.get("id"), "{\"email\": \"x@y.ir\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.object()).isEqualTo(Map.of("non_field_errors", List.of(Messages.ONE_RECIPIENT)));
        assertThat(rawItem(code.get("id"))).isEqualTo(before);
    }

    @Test
    void patch_removingTheOnlyRecipient_returns400() {
        Map<String, Object> code = mobileCode();

        Response response = patch(code.get("id"), "{\"mobile_number\": null}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.object()).isEqualTo(Map.of("non_field_errors", List.of(Messages.ONE_RECIPIENT)));
    }

    @Test
    void patch_mobileNumberOnACodeWithAMobile_replacesIt() {
        Map<String, Object> code = mobileCode();

        Response response = patch(code.get("id"), "{\"mobile_number\": \"+989350000000\"}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.object()).containsEntry("mobile_number", "09350000000").containsEntry("recipient", "09350000000");
    }

    @Test
    void patch_validTo_movesItAndTheTtlAttribute() {
        Map<String, Object> code = mobileCode();

        Response response = patch(code.get("id"), "{\"valid_to\": \"2036-01-01T00:00:00+03:30\"}");

        assertThat(response.object()).containsEntry("valid_to", "2035-12-31T20:30:00Z");
        long expected = Instant.parse("2035-12-31T20:30:00Z").getEpochSecond() + stack.settings().retention().getSeconds();
        assertThat(rawItem(code.get("id")).get("expires_at").n()).isEqualTo(Long.toString(expected));
    }

    @Test
    void patch_nullValidTo_isRefused() {
        Map<String, Object> code = mobileCode();

        Response response = patch(code.get("id"), "{\"valid_to\": null}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.object()).isEqualTo(Map.of("valid_to", List.of(Messages.NOT_NULL)));
    }

    @Test
    void patch_emptyBody_onlyMovesUpdatedAt() {
        Map<String, Object> code = mobileCode();

        Response response = patch(code.get("id"), "{}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.object()).containsEntry("code", 1111L).containsEntry("mobile_number", "09121234567");
    }

    @ParameterizedTest(name = "PATCH {0} -> 400 and nothing changes")
    @ValueSource(strings = {
        "{\"code\": \"abc\"}", "{\"code\": null}", "{\"mobile_number\": \"123\"}", "{\"email\": \"bad\", \"mobile_number\": null}",
        "{\"valid_to\": \"someday\"}", "{\"mobile_number\": \"09120000000\", \"email\": \"a@b.ir\"}",
        "[]", "null", "{",
    })
    void patch_refused_changesNothing(String body) {
        Map<String, Object> code = mobileCode();
        Map<String, AttributeValue> before = rawItem(code.get("id"));

        Response response = patch(code.get("id"), body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(rawItem(code.get("id"))).isEqualTo(before);
    }

    @Test
    void put_withoutCode_saysItIsRequired() {
        Map<String, Object> code = mobileCode();

        Response response = put(code.get("id"), "{\"mobile_number\": \"09121234567\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.object()).isEqualTo(Map.of("code", List.of(Messages.REQUIRED)));
    }

    @Test
    void put_replacesTheRecipientsAndKeepsValidTo() {
        Map<String, Object> code = mobileCode();

        Response response = put(code.get("id"), "{\"code\": 5, \"email\": \"a@b.ir\"}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.object()).containsEntry("code", 5L)
                .containsEntry("mobile_number", null)
                .containsEntry("email", "a@b.ir")
                .containsEntry("valid_to", "2035-06-01T12:00:00Z");
    }

    @Test
    void put_withoutAnyRecipient_returns400() {
        Map<String, Object> code = mobileCode();

        Response response = put(code.get("id"), "{\"code\": 5}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.object()).isEqualTo(Map.of("non_field_errors", List.of(Messages.ONE_RECIPIENT)));
    }

    @Test
    void put_withValidTo_setsIt() {
        Map<String, Object> code = mobileCode();

        Response response = put(code.get("id"), "{\"code\": 5, \"mobile_number\": \"09121234567\", \"valid_to\": \"2040-01-01\"}");

        assertThat(response.object()).containsEntry("valid_to", "2040-01-01T00:00:00Z");
    }

    @ParameterizedTest(name = "{0} on id {1} -> 404")
    @CsvSource({"PATCH, 999999", "PATCH, abc", "PUT, 999999", "PUT, -3", "PATCH, 1.0"})
    void update_aMissingOrNonIntegerId_returns404(String method, String id) {
        Response response = send(method, id, "{\"code\": 1, \"email\": \"a@b.ir\"}");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.object()).isEqualTo(Map.of("detail", "Not found."));
    }

    @ParameterizedTest(name = "PATCH a missing id with {0} -> 404 first, as DRF")
    @ValueSource(strings = {"{\"code\": \"abc\"}", "{", "[]", "{\"mobile_number\": \"09120000000\", \"email\": \"a@b.ir\"}"})
    void update_aMissingIdWithABadBody_returns404(String body) {
        assertThat(patch(999999, body).status()).isEqualTo(404);
    }

    @Test
    void update_aCodePastItsRetention_returns404AndIsNotResurrected() {
        Map<String, Object> code = mobileCode();
        expireNow(code.get("id"));
        Map<String, AttributeValue> before = rawItem(code.get("id"));

        Response response = patch(code.get("id"), "{\"code\": 3}");

        assertThat(response.status()).isEqualTo(404);
        assertThat(rawItem(code.get("id"))).isEqualTo(before);
    }

    @Test
    void update_withAnotherMethod_returns405() {
        Response response = send("POST", 1, "{}");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).isEqualTo("GET, PUT, PATCH");
    }

    @Test
    void patch_fromEightThreadsFlippingTheRecipient_alwaysLeavesExactlyOne() throws Exception {
        Object id = mobileCode().get("id");
        List<String> bodies = List.of(
                "{\"mobile_number\": null, \"email\": \"flip@example.com\"}",
                "{\"email\": null, \"mobile_number\": \"09129999999\"}",
                "{\"email\": \"only-if-no-mobile@example.com\"}",
                "{\"mobile_number\": \"09128888888\"}",
                "{\"mobile_number\": null}",
                "{\"email\": null}");
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    Response response = patch(id, bodies.get((thread + i) % bodies.size()));
                    if (response.status() != 200 && response.status() != 400) {
                        violations.add("status " + response.status() + " " + response.bodyText());
                    }
                    if (response.status() == 200 && (response.object().get("mobile_number") == null)
                            == (response.object().get("email") == null)) {
                        violations.add("response with both or no recipients: " + response.bodyText());
                    }
                    Map<String, AttributeValue> item = rawItem(id);
                    if (item.containsKey("mobile_number") == item.containsKey("email")
                            || item.containsKey("email") != item.containsKey("email_key")) {
                        violations.add("stored " + item);
                    }
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();

        assertThat(violations).isEmpty();
    }

    @Test
    void patch_racingADeletion_neverResurrectsTheCode() throws Exception {
        Object id = mobileCode().get("id");
        AtomicBoolean deleted = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(4);
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            futures.add(pool.submit(() -> {
                started.countDown();
                for (int i = 0; i < 50; i++) {
                    boolean goneBefore = deleted.get();
                    int status = patch(id, "{\"code\": " + i + "}").status();
                    if (goneBefore && status != 404) {
                        violations.add("PATCH after deletion answered " + status);
                    }
                    if (status != 200 && status != 404) {
                        violations.add("status " + status);
                    }
                }
            }));
        }
        started.await();
        Thread.sleep(20);
        stack.dynamoDb().deleteItem(r -> r.tableName(stack.otpTable()).key(Map.of("id", AttributeValue.fromN(id.toString()))));
        deleted.set(true);
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();

        assertThat(violations).isEmpty();
        assertThat(rawItem(id)).isEmpty();
    }

    @Test
    void patch_racingAnExpiry_neverRevivesTheCode() throws Exception {
        Object id = mobileCode().get("id");
        AtomicBoolean expired = new AtomicBoolean();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    boolean goneBefore = expired.get();
                    int status = patch(id, "{\"valid_to\": \"2040-01-01\"}").status();
                    if (goneBefore && status != 404) {
                        violations.add("PATCH after expiry answered " + status);
                    }
                }
            }));
        }
        Thread.sleep(30);
        expireNow(id);
        expired.set(true);
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();

        assertThat(violations).isEmpty();
        assertThat(Long.parseLong(rawItem(id).get("expires_at").n())).isLessThanOrEqualTo(Instant.now().getEpochSecond());
    }

    /** What DynamoDB's TTL would see: the item's expiry is now, whatever its valid_to. */
    private static void expireNow(Object id) {
        stack.dynamoDb().updateItem(r -> r.tableName(stack.otpTable())
                .key(Map.of("id", AttributeValue.fromN(id.toString())))
                .updateExpression("SET expires_at = :past")
                .expressionAttributeValues(Map.of(":past", AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond() - 1)))));
    }
}
