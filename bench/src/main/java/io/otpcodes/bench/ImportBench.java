package io.otpcodes.bench;

import io.otpcodes.config.Settings;
import io.otpcodes.local.EmbeddedDynamoDb;
import io.otpcodes.local.LocalRuntime;
import io.otpcodes.local.SamTemplate;
import io.otpcodes.store.DynamoDbClients;
import io.otpcodes.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code import codes} at scale: a psql-style export of N codes (a third by e-mail, created over
 * five days, times with offsets and microseconds), imported by the real command line in a JVM of
 * its own with a bounded heap into DynamoDB Local, then the same file again (nothing to write),
 * then {@code --verify}. Prints each run's wall time, codes a second and peak RSS, and the
 * import's own report. Then a smaller import through {@link AwsLimitsEmulator} at AWS's
 * latencies: the write units AWS would count.
 *
 * <pre>
 * mvn -B -q -Pbench package -DskipTests &amp;&amp; java -cp "$(cat bench/target/classpath.txt):bench/target/classes" \
 *     io.otpcodes.bench.ImportBench [--codes 1000000] [--heap 256m] [--threads 8] [--emulated 20000] [--burst 50000]
 * </pre>
 */
public final class ImportBench {

    public static void main(String[] args) throws Exception {
        int codes = 1_000_000;
        int emulated = 20_000;
        int burst = 50_000;
        String heap = "256m";
        String threads = "8";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--codes" -> codes = Integer.parseInt(args[++i]);
                case "--heap" -> heap = args[++i];
                case "--threads" -> threads = args[++i];
                case "--emulated" -> emulated = Integer.parseInt(args[++i]);
                case "--burst" -> burst = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("otp-import-bench");
        Path file = dir.resolve("codes.csv");
        write(file, codes);
        System.out.printf(Locale.ROOT, "export: %,d codes, %,d bytes%n", codes, Files.size(file));
        int status = 0;
        try (EmbeddedDynamoDb server = EmbeddedDynamoDb.start(freePort(), null)) {
            String endpoint = server.endpoint().toString();
            try (DynamoDbClient dynamoDb = DynamoDbClients.create(Settings.fromEnvironment(
                    Map.of(Settings.Variable.DYNAMODB_ENDPOINT.name(), endpoint)), Duration.ofMinutes(2), Duration.ofMinutes(10))) {
                LocalRuntime.createTables(SamTemplate.load(), dynamoDb);
            }
            System.out.println("| run | heap | wall s | codes/s | peak RSS MiB | exit |");
            System.out.println("|---|---|---|---|---|---|");
            List<String> reports = new ArrayList<>();
            for (String[] run : List.of(new String[] {"import"}, new String[] {"import again"}, new String[] {"verify", "--verify"})) {
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), "io.otpcodes.local.Main", "import", "codes",
                        file.toString(), "--endpoint-url", endpoint, "--threads", threads));
                for (int i = 1; i < run.length; i++) {
                    command.add(run[i]);
                }
                Path out = dir.resolve(run[0].replace(' ', '-') + ".out");
                long started = System.nanoTime();
                Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                        .redirectError(dir.resolve(run[0].replace(' ', '-') + ".err").toFile()).start();
                long peak = 0;
                while (process.isAlive()) {
                    peak = Math.max(peak, rssKib(process.pid()));
                    Thread.sleep(200);
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                int exit = process.exitValue();
                status |= exit;
                System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %,.0f | %d | %d |%n", run[0], heap, seconds, codes / seconds,
                        peak / 1024, exit);
                reports.add(Files.readString(out, StandardCharsets.UTF_8));
            }
            System.out.println();
            reports.forEach(r -> System.out.println("```\n" + r.strip() + "\n```"));
            views(endpoint, codes, burst);
        }
        if (emulated > 0) {
            Path small = dir.resolve("emulated.csv");
            write(small, emulated);
            status |= emulated(small, emulated, heap, threads, dir);
        }
        System.exit(status == 0 ? 0 : 1);
    }

    /**
     * The import through {@link AwsLimitsEmulator} at AWS's own latencies (k = 1): what an import
     * pays in write units on the base tables as AWS counts them (1 KB of the larger of an item's
     * size before and after, doubled in a transaction; the recipient index's unit is not counted
     * there).
     */
    private static int emulated(Path file, int codes, String heap, String threads, Path dir) throws Exception {
        try (EmbeddedDynamoDb server = EmbeddedDynamoDb.start(freePort(), null);
                DynamoDbClient direct = DynamoDbClients.create(Settings.fromEnvironment(
                        Map.of(Settings.Variable.DYNAMODB_ENDPOINT.name(), server.endpoint().toString())),
                        Duration.ofMinutes(2), Duration.ofMinutes(10))) {
            LocalRuntime.createTables(SamTemplate.load(), direct);
            try (AwsLimitsEmulator emulator = new AwsLimitsEmulator(server.endpoint(), direct, 1)) {
                Path out = dir.resolve("emulated.out");
                Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), "io.otpcodes.local.Main", "import", "codes",
                        file.toString(), "--endpoint-url", emulator.endpoint().toString(), "--threads", threads)
                        .redirectOutput(out.toFile()).redirectError(dir.resolve("emulated.err").toFile()).start();
                int exit = process.waitFor();
                AwsLimitsEmulator.Counts counts = emulator.counts;
                System.out.println();
                // its rate here is DynamoDB Local's and the emulator's own item-size look-ups, not AWS's: not printed
                System.out.println("| through the emulator, k = 1 | codes | transactions | write units a code (base tables, "
                        + "AWS's rules) | conflicts | throttles | exit |");
                System.out.println("|---|---|---|---|---|---|---|");
                System.out.printf(Locale.ROOT, "| import | %,d | %,d | %.2f | %d | %d | %d |%n", codes, counts.transactions.get(),
                        counts.writeUnits.get() / (double) codes, counts.transactionConflicts.get(),
                        counts.writeThrottles.get() + counts.readThrottles.get(), exit);
                return exit;
            }
        }
    }

    /**
     * The views an operator opens, over the local runtime's HTTP, right after the import: each
     * one's first call (the first list of all first), then the median of five more, with the read
     * units the list's metrics line reports.
     */
    private static void views(String endpoint, int codes, int burst) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        try (LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Options(freePort(), freePort(), 0, null, Map.of(), 0)
                .withEndpoint(endpoint), out)) {
            String token = printed.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("Admin token: ")).findFirst()
                    .orElseThrow().substring("Admin token: ".length());
            HttpClient http = HttpClient.newHttpClient();
            System.out.println();
            System.out.println("| right after the import, over HTTP | first call ms | read units | then median of 5 ms | count |");
            System.out.println("|---|---|---|---|---|");
            List<String[]> views = List.of(new String[] {"first page", ""}, new String[] {"ordering=-id", "?ordering=-id"},
                    new String[] {"offset n/2", "?offset=" + codes / 2}, new String[] {"id range of 100",
                            "?id_min=" + codes / 4 + "&id_max=" + (codes / 4 + 99)}, new String[] {"count after a create", "?limit=1"});
            for (String[] view : views) {
                if (view[0].startsWith("count after")) {
                    send(http, runtime, token, "POST", "", "{\"code\": 1, \"email\": \"new@example.com\"}");
                }
                int before = printed.size();
                long started = System.nanoTime();
                HttpResponse<String> first = send(http, runtime, token, "GET", view[1], null);
                double firstMs = (System.nanoTime() - started) / 1e6;
                String units = readUnits(printed.toString(StandardCharsets.UTF_8).substring(before));
                double[] again = new double[5];
                for (int i = 0; i < again.length; i++) {
                    long t = System.nanoTime();
                    send(http, runtime, token, "GET", view[1], null);
                    again[i] = (System.nanoTime() - t) / 1e6;
                }
                Arrays.sort(again);
                Object count = ((Map<?, ?>) Json.parse(first.body())).get("count");
                System.out.printf(Locale.ROOT, "| %s | %.0f | %s | %.0f | %s |%n", view[0], firstMs, units, again[2], count);
            }
            if (burst > 0) {
                burst(http, runtime, token, printed, burst);
            }
        }
    }

    /**
     * A burst of creates (8 clients back to back over HTTP), then the default list again and again:
     * how many lists read the stripes the burst left, and what each costs, until the lists have
     * folded them.
     */
    private static void burst(HttpClient http, LocalRuntime runtime, String token, ByteArrayOutputStream printed, int creates)
            throws Exception {
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(creates);
        long started = System.nanoTime();
        List<java.util.concurrent.Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            running.add(clients.submit(() -> {
                while (left.decrementAndGet() >= 0) {
                    send(http, runtime, token, "POST", "", "{\"code\": 7, \"mobile_number\": \"09120000000\"}");
                }
                return null;
            }));
        }
        for (var client : running) {
            client.get();
        }
        clients.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.println();
        System.out.printf(Locale.ROOT, "| after a burst of %,d creates (%.0f s) | list ms | read units |%n",
                creates, seconds);
        System.out.println("|---|---|---|");
        for (int list = 1; list <= 8; list++) {
            int before = printed.size();
            long t = System.nanoTime();
            send(http, runtime, token, "GET", "", null);
            double ms = (System.nanoTime() - t) / 1e6;
            System.out.printf(Locale.ROOT, "| list %d | %.0f | %s |%n", list, ms, readUnits(printed.toString(StandardCharsets.UTF_8)
                    .substring(before)));
        }
    }

    private static HttpResponse<String> send(HttpClient http, LocalRuntime runtime, String token, String method, String query,
            String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(runtime.apiUrl() + query))
                .header("Authorization", "Token " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + query + ": " + response.statusCode());
        }
        return response;
    }

    /** The ReadUnits of the list's metrics line among these lines of the runtime's output. */
    private static String readUnits(String lines) {
        return lines.lines().filter(l -> l.startsWith("{") && l.contains("\"ReadUnits\"") && l.contains("GET "))
                .map(l -> ((Map<?, ?>) Json.parse(l)).get("ReadUnits"))
                .map(units -> units instanceof Json.JsonFloat f ? f.text() : String.valueOf(units)).reduce((a, b) -> b).orElse("?");
    }

    /** Rows as psql's CSV export writes them, ordered by id. */
    static void write(Path file, int codes) throws IOException {
        SplittableRandom random = new SplittableRandom(27);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                CSVPrinter csv = CSVFormat.RFC4180.builder().setHeader("id", "code", "mobile_number", "email", "valid_to",
                        "created_at", "updated_at").get().print(writer)) {
            for (int id = 1; id <= codes; id++) {
                boolean mobile = id % 3 != 0;
                String micros = String.format(Locale.ROOT, "%06d", random.nextInt(1_000_000));
                csv.printRecord(id, random.nextInt(1_000_000), mobile ? String.format(Locale.ROOT, "0912%07d", id) : "",
                        mobile ? "" : "user" + id + "@example.com", "2099-01-0" + (1 + id % 9) + " 10:00:00." + micros + "+00",
                        "2026-12-0" + (1 + id % 5) + " 13:30:00." + micros + "+03:30", "2026-12-06 10:00:0" + (id % 10) + "+00");
            }
        }
    }

    private static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process has ended
        }
        return 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
