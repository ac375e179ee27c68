package io.otpcodes.local.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Lambda Runtime API on loopback: hands out queued events on /next and collects what the
 * runtime posts back (a response, or an error with its type), so a function can run under the
 * real runtime interface client.
 */
public final class RuntimeApiEmulator implements AutoCloseable {

    /** What the runtime posted for one invocation. */
    public record Result(boolean error, String errorTypeHeader, String body) {
    }

    private final HttpServer server;
    /** Handlers off the dispatcher thread: a /next waiting for an event must not hold up stop(). */
    private final java.util.concurrent.ExecutorService handlers = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "runtime-api");
        thread.setDaemon(true);
        return thread;
    });
    private final BlockingQueue<String[]> events = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Result>> results = new ConcurrentHashMap<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();

    public RuntimeApiEmulator() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/2018-06-01/runtime/", this::handle);
        server.setExecutor(handlers);
        server.start();
    }

    /** host:port, for AWS_LAMBDA_RUNTIME_API. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an event; the future completes with what the runtime answers. */
    public CompletableFuture<Result> invoke(String requestId, String event) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        results.put(requestId, result);
        events.add(new String[] {requestId, event});
        return result;
    }

    public CompletableFuture<String> initError() {
        return initError;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try {
            if (path.endsWith("/invocation/next")) {
                String[] next = events.poll(60, TimeUnit.SECONDS);
                if (next == null) {
                    send(exchange, 500, "{}");
                    return;
                }
                // The native client reads Content-Type unconditionally: without it, it crashes.
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.getResponseHeaders().set("Lambda-Runtime-Aws-Request-Id", next[0]);
                exchange.getResponseHeaders().set("Lambda-Runtime-Deadline-Ms",
                        Long.toString(System.currentTimeMillis() + 30_000));
                exchange.getResponseHeaders().set("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:us-east-1:000000000000:function:emulated");
                exchange.getResponseHeaders().set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000");
                send(exchange, 200, next[1]);
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (path.endsWith("/init/error")) {
                initError.complete(body);
            } else {
                String[] parts = path.split("/");
                String requestId = parts[parts.length - 2];
                boolean error = path.endsWith("/error");
                CompletableFuture<Result> result = results.get(requestId);
                if (result != null) {
                    result.complete(new Result(error,
                            exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"), body));
                }
            }
            send(exchange, 202, "{\"status\":\"OK\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(exchange, 500, "{}");
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        handlers.shutdownNow();
        server.stop(0);
    }
}
