package io.otpcodes.bench;

import io.otpcodes.config.Settings;
import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.OtpCodeRepository.Listing;
import io.otpcodes.local.EmbeddedDynamoDb;
import io.otpcodes.local.SamTemplate;
import io.otpcodes.store.DynamoDbClients;
import io.otpcodes.store.DynamoDbOtpCodeRepository;
import io.otpcodes.store.IdBuckets;
import io.otpcodes.store.OtpTableSchema;
import io.otpcodes.store.SummaryBackfill;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The list-cost table of issue 12: a loader (BatchWriteItem, codes as the previous version wrote
 * them, then the one-off backfill that counts them) and, at each table size, the latency, read
 * units, items read and peak heap of the views an operator opens, in-process on DynamoDB Local.
 *
 * <pre>
 * java -Xmx1g -cp "$(cat bench/target/classpath.txt):bench/target/classes" io.otpcodes.bench.ListCostBench --sizes 10000,100000,1000000
 * </pre>
 *
 * <p>With {@code --serve}, each size runs in a fresh {@code otp-local.jar serve --in-memory} in a
 * second process: the codes go into its tables, the in-process lists read its DynamoDB Local (so
 * the peak heap is the list's own, not DynamoDB Local's), and then 16 clients list concurrently
 * through its HTTP API.
 *
 * <p>With {@code --serve}, the backfill is the runtime jar's own {@code backfill} command, in a
 * third process, so that the bench's heap holds only the lists. {@code --scans-only} measures
 * only the one-pass views (search, another ordering): no concurrent lists. Run it with {@code -Xmx256m} to show that a one-pass list of the whole table
 * fits in that heap.
 */
public final class ListCostBench {

    static final int LOADERS = 4;

    private static boolean scansOnly;

    public static void main(String[] args) {
        try {
            runAll(args);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1); // DynamoDB Local's and the HTTP client's threads would keep the JVM alive
        }
        System.exit(0);
    }

    private static void runAll(String[] args) throws Exception {
        List<Integer> sizes = List.of(10_000, 100_000, 1_000_000);
        int runs = 5;
        boolean serve = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--serve" -> serve = true;
                case "--scans-only" -> scansOnly = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.println("| codes | view | median ms | read units | items read | peak heap MiB | plan |");
        System.out.println("|---|---|---|---|---|---|---|");
        List<String> concurrent = new ArrayList<>();
        if (serve) {
            for (int size : sizes) {
                String row = runOnServe(size, runs);
                if (row != null) {
                    concurrent.add(row);
                }
            }
        } else {
            try (EmbeddedDynamoDb server = EmbeddedDynamoDb.start(freePort(), null)) {
                DynamoDbClient dynamoDb = client(server.endpoint().toString());
                for (int size : sizes) {
                    String prefix = "cost" + size + "-";
                    for (var table : SamTemplate.load().tables(prefix)) {
                        dynamoDb.createTable(table);
                    }
                    run(dynamoDb, server.endpoint().toString(), prefix, size, runs);
                    for (var table : SamTemplate.load().tables(prefix)) {
                        dynamoDb.deleteTable(r -> r.tableName(table.tableName()));
                    }
                }
            }
        }
        if (!concurrent.isEmpty()) {
            System.out.println();
            System.out.println("| codes | " + LocalRuntimeLoad.CLIENTS
                    + " concurrent clients through `serve` | requests | requests/s | p50 (ms) | p99 (ms) | non-200 |");
            System.out.println("|---|---|---|---|---|---|---|");
            concurrent.forEach(System.out::println);
        }
    }

    private static DynamoDbClient client(String endpoint) {
        Map<String, String> env = Map.of(Settings.Variable.DYNAMODB_ENDPOINT.name(), endpoint);
        // a Scan page of DynamoDB Local at 1,000,000 codes takes seconds, more while the box is busy
        return DynamoDbClients.create(Settings.fromEnvironment(env), Duration.ofMinutes(5), Duration.ofMinutes(10));
    }

    /** One size on a fresh local runtime: load, backfill, lists in this process, then over HTTP. */
    private static String runOnServe(int size, int runs) throws Exception {
        int apiPort = freePort();
        int dynamoDbPort = freePort();
        Process serve = new ProcessBuilder(Bench.javaBinary(), "-jar", localJar(), "serve",
                "--in-memory", "--port", Integer.toString(apiPort), "--dynamodb-port", Integer.toString(dynamoDbPort))
                .redirectErrorStream(true).start();
        try {
            String token = LocalRuntimeLoad.adminToken(serve);
            String endpoint = "http://127.0.0.1:" + dynamoDbPort;
            run(client(endpoint), endpoint, "", size, runs);
            if (scansOnly) {
                return null;
            }
            String base = "http://127.0.0.1:" + apiPort + "/api/notifications/otp/";
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(LocalRuntimeLoad.CLIENTS))
                    .build();
            onePassOverHttp(http, base, token, size);
            String[] pages = {"", "?ordering=-id", "?offset=" + size / 2, "?id_min=" + size / 3};
            AtomicInteger sequence = new AtomicInteger();
            return LocalRuntimeLoad.measure(http, 800, () -> HttpRequest.newBuilder(
                    URI.create(base + pages[sequence.getAndIncrement() % pages.length]))
                    .header("Authorization", "Token " + token).build(), 200,
                    String.format("%,d | default page, -id, offset=%d, id_min=%d in turn", size, size / 2, size / 3));
        } finally {
            serve.destroy();
            serve.waitFor(20, TimeUnit.SECONDS);
            serve.destroyForcibly();
        }
    }

    /**
     * The one-pass views through the local runtime's API, one at a time: each must answer 200
     * within the functions' 10 s call timeout (before the lines, they answered 503 at this size).
     */
    private static void onePassOverHttp(HttpClient http, String base, String token, int size) throws Exception {
        for (String query : List.of("?search=0912777", "?ordering=-code", "?is_allow=false&ordering=email")) {
            for (int run = 0; run < 2; run++) {
                long start = System.nanoTime();
                var response = http.send(HttpRequest.newBuilder(URI.create(base + query))
                        .header("Authorization", "Token " + token).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                System.err.printf("%,d codes: GET %s through serve: %d in %.0f ms%n", size, query, response.statusCode(),
                        (System.nanoTime() - start) / 1e6);
            }
        }
    }

    private static String localJar() {
        return System.getProperty("bench.localJar", LocalRuntimeLoad.JAR.toString());
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void run(DynamoDbClient dynamoDb, String endpoint, String prefix, int size, int runs)
            throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put(Settings.Variable.DYNAMODB_ENDPOINT.name(), endpoint);
        env.put("OTP_TABLE_NAME", prefix + "OtpCodesTable");
        env.put("COUNTER_TABLE_NAME", prefix + "CountersTable");
        env.put("SUMMARY_TABLE_NAME", prefix + "SummariesTable");
        Settings settings = Settings.fromEnvironment(env);
        DynamoDbOtpCodeRepository repository = new DynamoDbOtpCodeRepository(dynamoDb, settings);
        Instant now = Instant.now();
        long loadStart = System.nanoTime();
        load(dynamoDb, repository, settings.otpTableName(), size, now);
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        System.err.printf("%,d codes: loaded in %.0f s (%,.0f/s)%n", size, loadSeconds, size / loadSeconds);
        long backfillStart = System.nanoTime();
        String backfill;
        if (prefix.isEmpty()) {
            // the serve's tables: its own command, in its own process, as an operator runs it
            Process command = new ProcessBuilder(Bench.javaBinary(), "-jar", localJar(), "backfill", "--endpoint-url", endpoint)
                    .redirectErrorStream(true).start();
            backfill = new String(command.getInputStream().readAllBytes()).trim();
            if (command.waitFor() != 0) {
                throw new IllegalStateException("backfill failed: " + backfill);
            }
        } else {
            SummaryBackfill.Result result = new SummaryBackfill(dynamoDb, settings.otpTableName(),
                    settings.summaryTableName(), IdBuckets.DEFAULT).run();
            backfill = "counted " + result.codesCounted() + " codes in " + result.transactions() + " transactions";
        }
        System.err.printf("%,d codes: backfill: %s, in %.0f s%n", size, backfill, (System.nanoTime() - backfillStart) / 1e9);
        settle(repository, size);

        String middleDay = now.minus(Duration.ofDays(3)).atOffset(ZoneOffset.UTC).toLocalDate().toString();
        Map<String, Map<String, String>> views = new LinkedHashMap<>();
        views.put("default page (limit 100)", Map.of());
        views.put("ordering=-id", Map.of("ordering", "-id"));
        views.put("offset=" + size / 2, Map.of("offset", Integer.toString(size / 2)));
        views.put("id_min=" + size / 3, Map.of("id_min", Integer.toString(size / 3)));
        views.put("created_date=" + middleDay, Map.of("created_date", middleDay));
        views.put("search=0912777", Map.of("search", "0912777"));
        views.put("ordering=-code", Map.of("ordering", "-code"));
        // the deepest page: the one-pass list keeps offset + limit codes, in one collector for all its readers
        views.put("ordering=-code&offset=" + (size - 10), Map.of("ordering", "-code", "offset", Integer.toString(size - 10)));
        if (scansOnly) {
            views.keySet().removeIf(name -> !name.startsWith("search") && !name.startsWith("ordering=-code"));
        }
        for (var view : views.entrySet()) {
            ListQuery query = ListQuery.parse(view.getValue(), 100);
            boolean scan = view.getKey().startsWith("search") || view.getKey().startsWith("ordering=-code");
            int n = scan && size >= 100_000 ? Math.min(runs, 2) : runs;
            double[] ms = new double[n];
            Listing last = null;
            long peak = 0;
            repository.list(query, Instant.now()); // warm-up
            for (int r = 0; r < n; r++) {
                System.gc();
                resetPeaks();
                long start = System.nanoTime();
                last = repository.list(query, Instant.now());
                ms[r] = (System.nanoTime() - start) / 1e6;
                peak = Math.max(peak, peakHeap());
            }
            Arrays.sort(ms);
            System.out.printf("| %,d | %s | %.1f | %.1f | %,d | %.0f | %s (count %,d) |%n", size, view.getKey(), ms[n / 2],
                    last.stats().consumedCapacity(), last.stats().itemsRead(), peak / 1048576.0,
                    last.stats().operation(), last.count());
        }
    }

    /**
     * Lists until the stripes of every coarse bucket creates have left are folded (each list
     * folds one), as a service that lists now and then has them: the state the views are
     * measured in. Prints what the first list, which read every stripe, cost.
     */
    private static void settle(DynamoDbOtpCodeRepository repository, int size) {
        ListQuery query = ListQuery.parse(Map.of(), 100);
        long start = System.nanoTime();
        Listing first = repository.list(query, Instant.now());
        double firstMs = (System.nanoTime() - start) / 1e6;
        int lists = 1;
        int items = first.stats().itemsRead();
        while (lists < 1000) {
            Listing next = repository.list(query, Instant.now());
            lists++;
            if (next.stats().itemsRead() >= items) {
                break; // this list folded nothing more
            }
            items = next.stats().itemsRead();
        }
        System.err.printf("%,d codes: first default list %.0f ms, %,d items, %.1f units; %d lists folded the coarse "
                + "buckets creates left, in %.1f s; a default list then reads %,d items%n", size, firstMs,
                first.stats().itemsRead(), first.stats().consumedCapacity(), lists - 1, (System.nanoTime() - start) / 1e9, items);
    }

    /**
     * Codes as a version before the summaries stored them: created evenly over the last
     * seven days (the retention), valid for 120 s, a third by e-mail.
     */
    private static void load(DynamoDbClient dynamoDb, DynamoDbOtpCodeRepository repository, String table, int size,
            Instant now) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(LOADERS);
        List<Future<?>> loaders = new ArrayList<>();
        long spanMicros = Duration.ofDays(7).minusHours(1).toNanos() / 1000;
        for (int l = 0; l < LOADERS; l++) {
            int loader = l;
            loaders.add(pool.submit(() -> {
                Random random = new Random(loader);
                List<WriteRequest> batch = new ArrayList<>();
                for (int id = 1 + loader; id <= size; id += LOADERS) {
                    Instant created = now.minus(Duration.ofNanos((spanMicros - spanMicros * id / size) * 1000));
                    boolean email = id % 3 == 0;
                    OtpCode code = new OtpCode(id, random.nextInt(1_000_000),
                            email ? null : String.format("0912%07d", random.nextInt(10_000_000)),
                            email ? "user" + id + "@example.com" : null, created.plusSeconds(120), created, created);
                    Map<String, AttributeValue> item = new HashMap<>(io.otpcodes.store.ItemAccess.item(repository, code));
                    item.remove(OtpTableSchema.VERSION);
                    item.remove(OtpTableSchema.COUNTED);
                    batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
                    if (batch.size() == 25) {
                        write(dynamoDb, table, batch);
                        batch = new ArrayList<>();
                    }
                }
                if (!batch.isEmpty()) {
                    write(dynamoDb, table, batch);
                }
                return null;
            }));
        }
        for (Future<?> f : loaders) {
            f.get();
        }
        pool.shutdown();
    }

    private static void write(DynamoDbClient dynamoDb, String table, List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> unprocessed = Map.of(table, batch);
        while (!unprocessed.isEmpty()) {
            Map<String, List<WriteRequest>> request = unprocessed;
            unprocessed = dynamoDb.batchWriteItem(r -> r.requestItems(request)).unprocessedItems();
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
