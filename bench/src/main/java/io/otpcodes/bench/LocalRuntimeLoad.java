package io.otpcodes.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The local runtime as a user starts it ({@code java -jar local/target/otp-local.jar serve}),
 * measured from this process on loopback: time to the first answered request, then requests
 * per second with 16 concurrent clients for creates and for a list of 100 codes.
 */
final class LocalRuntimeLoad {

    static final int CLIENTS = 16;
    static final Path JAR = Path.of("local/target/otp-local.jar");

    private LocalRuntimeLoad() {
    }

    static void run(int runs, Consumer<String> say) throws Exception {
        say.accept("");
        say.accept("## Local runtime (`java -jar local/target/otp-local.jar serve --in-memory`), from a second process");
        say.accept("");
        List<Double> startup = new ArrayList<>();
        String[] rates = null;
        for (int i = 0; i < Math.max(3, runs / 2); i++) {
            int port = freePort();
            Process serve = new ProcessBuilder(Bench.javaBinary(), "-jar", JAR.toString(), "serve", "--in-memory",
                    "--port", Integer.toString(port), "--dynamodb-port", Integer.toString(freePort()))
                    .redirectErrorStream(true).start();
            long start = System.nanoTime();
            try {
                HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(CLIENTS)).build();
                String base = "http://127.0.0.1:" + port + "/api/notifications/otp/";
                while (true) {
                    try {
                        http.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.discarding());
                        break;
                    } catch (java.io.IOException notYet) {
                        Thread.sleep(5);
                    }
                }
                startup.add((System.nanoTime() - start) / 1e6);
                if (rates == null) {
                    String token = adminToken(serve);
                    rates = load(http, base, token);
                }
            } finally {
                serve.destroy();
                serve.waitFor(20, TimeUnit.SECONDS);
                serve.destroyForcibly();
            }
        }
        Collections.sort(startup);
        say.accept(String.format("Time from `serve` to the first answered request: median %.0f ms (min %.0f, max %.0f, %d starts).",
                Bench.median(startup), startup.get(0), startup.get(startup.size() - 1), startup.size()));
        say.accept("");
        say.accept("| load (" + CLIENTS + " concurrent clients) | requests | requests/s | p50 (ms) | p99 (ms) | errors |");
        say.accept("|---|---|---|---|---|---|");
        for (String row : rates) {
            say.accept(row);
        }
    }

    static String adminToken(Process serve) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("Admin token: ")) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // the runtime's request log
                        }
                    } catch (java.io.IOException e) {
                        // the process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return line.substring("Admin token: ".length());
            }
        }
        throw new IllegalStateException("no admin token printed");
    }

    private static String[] load(HttpClient http, String base, String token) throws Exception {
        AtomicInteger sequence = new AtomicInteger();
        String creates = measure(http, 2000, () -> HttpRequest.newBuilder(URI.create(base))
                .header("Authorization", "Token " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"code\": " + sequence.incrementAndGet()
                        + ", \"mobile_number\": \"0912" + (1000000 + sequence.get() % 100) + "\"}")).build(), 201, "create");
        // the table now holds 2,000 codes; list 100 of them by a filter that keeps exactly 100
        String lists = measure(http, 2000, () -> HttpRequest.newBuilder(URI.create(base + "?id_max=100&limit=100"))
                .header("Authorization", "Token " + token).build(), 200, "list of 100 codes (id_max=100)");
        return new String[] {creates, lists};
    }

    static String measure(HttpClient http, int total, java.util.function.Supplier<HttpRequest> request,
            int expected, String name) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger left = new AtomicInteger(total);
        AtomicInteger errors = new AtomicInteger();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            futures.add(clients.submit(() -> {
                while (left.getAndDecrement() > 0) {
                    long t = System.nanoTime();
                    HttpResponse<Void> response = http.send(request.get(), HttpResponse.BodyHandlers.discarding());
                    latencies.add(System.nanoTime() - t);
                    if (response.statusCode() != expected) {
                        errors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        clients.shutdown();
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return String.format("| %s | %,d | %.0f | %.1f | %.1f | %d |", name, total, total / seconds,
                sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.99)) / 1e6, errors.get());
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
