package io.otpcodes.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.json.Json;
import io.otpcodes.local.testing.ApiCalls;
import io.otpcodes.local.testing.LocalDynamoDb;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Load on the local runtime over real HTTP from 16 concurrent clients: nothing lost, nothing doubled. */
class LocalRuntimeLoadTest {

    static final int CLIENTS = 16;

    @Test
    @SuppressWarnings("unchecked")
    void thousandCreatesAndFiveHundredPatches_fromSixteenClients() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Options(LocalDynamoDb.freePort(), 0,
                LocalDynamoDb.freePort(), null, Map.of(), null), new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String token = ApiCalls.adminToken(printed);
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(CLIENTS)).build();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);

            ConcurrentLinkedQueue<Long> ids = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
            AtomicInteger next = new AtomicInteger();
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                futures.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < 1000; i = next.getAndIncrement()) {
                        String body = i % 2 == 0 ? "{\"code\": " + i + ", \"mobile_number\": \"0912" + (1000000 + i) + "\"}"
                                : "{\"code\": " + i + ", \"email\": \"load" + i + "@example.com\"}";
                        HttpResponse<String> response = ApiCalls.send(http, "POST", runtime.apiUrl(), token, body);
                        if (response.statusCode() != 201) {
                            errors.add(response.statusCode() + " " + response.body());
                        } else {
                            ids.add((Long) ((Map<String, Object>) Json.parse(response.body())).get("id"));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            double createsPerSecond = 1000 / ((System.nanoTime() - start) / 1e9);

            assertThat(errors).isEmpty();
            assertThat(new HashSet<>(ids)).hasSize(1000);
            Map<String, Object> page = (Map<String, Object>) Json.parse(ApiCalls.send(http, "GET", runtime.apiUrl() + "?limit=1000", token, null).body());
            assertThat(page.get("count")).isEqualTo(1000L);
            Set<Long> listed = new HashSet<>();
            ((List<Map<String, Object>>) page.get("results")).forEach(r -> listed.add((Long) r.get("id")));
            assertThat(listed).isEqualTo(new HashSet<>(ids));

            List<Long> targets = new ArrayList<>(ids).subList(0, 10);
            List<String> bodies = List.of("{\"mobile_number\": null, \"email\": \"switch@example.com\"}",
                    "{\"email\": null, \"mobile_number\": \"09351234567\"}", "{\"email\": \"only@example.com\"}",
                    "{\"mobile_number\": \"09121112222\"}", "{\"code\": 5}", "{\"mobile_number\": null}");
            ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
            AtomicInteger patches = new AtomicInteger();
            futures.clear();
            for (int c = 0; c < CLIENTS; c++) {
                int seed = c;
                futures.add(clients.submit(() -> {
                    Random random = new Random(seed);
                    while (patches.getAndIncrement() < 500) {
                        long id = targets.get(random.nextInt(targets.size()));
                        statuses.add(ApiCalls.send(http, "PATCH", runtime.apiUrl() + id + "/", token,
                                bodies.get(random.nextInt(bodies.size()))).statusCode());
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            clients.shutdown();

            assertThat(statuses).hasSize(500).allMatch(s -> s == 200 || s == 400);
            assertThat(statuses).contains(200, 400);
            try (DynamoDbClient dynamoDb = DynamoDbClientsForTests.client(runtime.dynamoDbEndpoint())) {
                List<Map<String, AttributeValue>> items = dynamoDb.scan(r -> r.tableName("OtpCodesTable")).items();
                assertThat(items).hasSize(1000);
                for (Map<String, AttributeValue> item : items) {
                    assertThat(item.containsKey("mobile_number")).as(item.toString()).isNotEqualTo(item.containsKey("email"));
                    assertThat(item.containsKey("email")).isEqualTo(item.containsKey("email_key"));
                }
            }
            System.out.printf("local runtime: %.0f creates/s from %d clients%n", createsPerSecond, CLIENTS);
        }
    }
}
