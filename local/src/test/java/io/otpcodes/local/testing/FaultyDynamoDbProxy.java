package io.otpcodes.local.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.otpcodes.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A loopback proxy in front of DynamoDB Local that injects faults at the HTTP level, so the
 * SDK's own retries and timeouts are what is tested: throttling and 500s before the request
 * reaches DynamoDB, a 500 after it did (the answer lost), or a delay.
 */
public final class FaultyDynamoDbProxy implements AutoCloseable {

    /** What to do with one request. */
    public enum Fault { NONE, THROTTLE, ERROR_500, ERROR_500_AFTER_WRITE, DELAY, TRANSACTION_CONFLICT }

    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "expect",
            "transfer-encoding", "upgrade");

    private final HttpServer server;
    private final URI target;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private volatile BiFunction<String, Integer, Fault> rule = (operation, attempt) -> Fault.NONE;
    private volatile long delayMillis = 1000;

    public FaultyDynamoDbProxy(URI target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The fault for each request, by DynamoDB operation ("PutItem") and its attempt number (1, 2, ...). */
    public void rule(BiFunction<String, Integer, Fault> rule) {
        this.attempts.clear();
        this.rule = rule;
    }

    public void delayMillis(long millis) {
        this.delayMillis = millis;
    }

    public int attempts(String operation) {
        AtomicInteger count = attempts.get(operation);
        return count == null ? 0 : count.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String operation = amzTarget == null ? "" : amzTarget.substring(amzTarget.indexOf('.') + 1);
        int attempt = attempts.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
        Fault fault = rule.apply(operation, attempt);
        try {
            switch (fault) {
                case THROTTLE:
                    error(exchange, 400, "ProvisionedThroughputExceededException");
                    return;
                case ERROR_500:
                    error(exchange, 500, "InternalServerError");
                    return;
                case TRANSACTION_CONFLICT:
                    transactionConflict(exchange, body);
                    return;
                case DELAY:
                    Thread.sleep(delayMillis);
                    break;
                default:
                    break;
            }
            HttpResponse<byte[]> response = forward(exchange, body);
            if (fault == Fault.ERROR_500_AFTER_WRITE) {
                error(exchange, 500, "InternalServerError");
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase())) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                }
            });
            send(exchange, response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client gave up (a timeout): nothing to answer
        } finally {
            exchange.close();
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().getPath()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
            }
        });
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void error(HttpExchange exchange, int status, String type) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        send(exchange, status, ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type
                + "\",\"message\":\"injected by the test\"}").getBytes(StandardCharsets.UTF_8));
        exchange.close();
    }

    /**
     * A TransactWriteItems cancelled because another transaction held its second item, in
     * DynamoDB's shape: one reason a write, in order.
     */
    private static void transactionConflict(HttpExchange exchange, byte[] request) throws IOException {
        int writes = ((List<?>) Invocation.asMap(Json.parse(request)).get("TransactItems")).size();
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            reasons.add(i == 1 ? "{\"Code\":\"TransactionConflict\",\"Message\":\"Transaction is ongoing for the item\"}"
                    : "{\"Code\":\"None\"}");
        }
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        send(exchange, 400, ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
                + "\"message\":\"Transaction cancelled (injected by the test)\",\"CancellationReasons\":["
                + String.join(",", reasons) + "]}").getBytes(StandardCharsets.UTF_8));
        exchange.close();
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
