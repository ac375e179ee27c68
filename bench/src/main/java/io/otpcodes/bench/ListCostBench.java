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
 */
public final class ListCostBench {

    static final int LOADERS = 4;

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(10_000, 100_000, 1_000_000);
        int runs = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (EmbeddedDynamoDb server = EmbeddedDynamoDb.start(port, null)) {
            Map<String, String> env = new HashMap<>();
            env.put(Settings.Variable.DYNAMODB_ENDPOINT.name(), server.endpoint().toString());
            DynamoDbClient dynamoDb = DynamoDbClients.create(Settings.fromEnvironment(env), Duration.ofSeconds(60),
                    Duration.ofSeconds(120));
            System.out.println("| codes | view | median ms | read units | items read | peak heap MiB | plan |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (int size : sizes) {
                run(dynamoDb, env, size, runs);
            }
        }
        System.exit(0);
    }

    private static void run(DynamoDbClient dynamoDb, Map<String, String> baseEnv, int size, int runs) throws Exception {
        String prefix = "cost" + size + "-";
        for (var table : SamTemplate.load().tables(prefix)) {
            dynamoDb.createTable(table);
        }
        Map<String, String> env = new HashMap<>(baseEnv);
        env.put("OTP_TABLE_NAME", prefix + "OtpCodesTable");
        env.put("COUNTER_TABLE_NAME", prefix + "CountersTable");
        env.put("SUMMARY_TABLE_NAME", prefix + "SummariesTable");
        Settings settings = Settings.fromEnvironment(env);
        DynamoDbOtpCodeRepository repository = new DynamoDbOtpCodeRepository(dynamoDb, settings);
        Instant now = Instant.now();
        long loadStart = System.nanoTime();
        load(dynamoDb, repository, settings.otpTableName(), size, now);
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        long backfillStart = System.nanoTime();
        SummaryBackfill.Result backfill = new SummaryBackfill(dynamoDb, settings.otpTableName(),
                settings.summaryTableName(), IdBuckets.DEFAULT).run();
        double backfillSeconds = (System.nanoTime() - backfillStart) / 1e9;
        System.err.printf("%,d codes: loaded in %.0f s (%,.0f/s), backfill counted %,d in %,d transactions in %.0f s%n",
                size, loadSeconds, size / loadSeconds, backfill.codesCounted(), backfill.transactions(), backfillSeconds);

        String middleDay = now.minus(Duration.ofDays(3)).atOffset(ZoneOffset.UTC).toLocalDate().toString();
        Map<String, Map<String, String>> views = new LinkedHashMap<>();
        views.put("default page (limit 100)", Map.of());
        views.put("ordering=-id", Map.of("ordering", "-id"));
        views.put("offset=" + size / 2, Map.of("offset", Integer.toString(size / 2)));
        views.put("id_min=" + size / 3, Map.of("id_min", Integer.toString(size / 3)));
        views.put("created_date=" + middleDay, Map.of("created_date", middleDay));
        views.put("search=0912777", Map.of("search", "0912777"));
        views.put("ordering=-code", Map.of("ordering", "-code"));
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
        for (var table : SamTemplate.load().tables(prefix)) {
            dynamoDb.deleteTable(r -> r.tableName(table.tableName()));
        }
    }

    /**
     * Codes as the previous version stored them (no id_bucket): created evenly over the last
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
                    item.remove(OtpTableSchema.ID_BUCKET);
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
