package io.otpcodes.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.jr.ob.JSON;
import io.otpcodes.config.Settings;
import io.otpcodes.domain.ListQuery;
import io.otpcodes.handler.LoadHandlers;
import io.otpcodes.local.EmbeddedDynamoDb;
import io.otpcodes.local.SamTemplate;
import io.otpcodes.store.DynamoDbClients;
import io.otpcodes.store.DynamoDbOtpCodeRepository;
import io.otpcodes.store.OtpTableSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The write path under DynamoDB's limits: N concurrent callers of the real create handler (and
 * M of the real PATCH handler on random codes), each caller a Lambda container of its own (its
 * own handler and store, one request at a time), for a fixed time, through
 * {@link AwsLimitsEmulator} in front of DynamoDB Local. Prints creates/s (and times k, the
 * AWS-equivalent figure), the statuses, p50/p99, the conflicts and throttles the emulator saw
 * and the write units per request; then checks the store by brute force: every 201 is stored
 * once, and the lists' counts equal a count of a consistent Scan.
 *
 * <pre>
 * mvn -B -q -Pbench package -DskipTests
 * java -cp "$(cat bench/target/classpath.txt):bench/target/classes" io.otpcodes.bench.WriteLoad \
 *     --k 10 --callers 64 --seconds 30 [--patchers 16] [--seed-codes 2000]
 * </pre>
 */
public final class WriteLoad {

    private WriteLoad() {
    }

    record Options(double k, int callers, int patchers, int seconds, int seedCodes) {
        static Options parse(String[] args) {
            Map<String, String> given = new HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                given.put(args[i], args[i + 1]);
            }
            return new Options(Double.parseDouble(given.getOrDefault("--k", "10")),
                    Integer.parseInt(given.getOrDefault("--callers", "64")),
                    Integer.parseInt(given.getOrDefault("--patchers", "0")),
                    Integer.parseInt(given.getOrDefault("--seconds", "30")),
                    Integer.parseInt(given.getOrDefault("--seed-codes", "2000")));
        }
    }

    /** What the callers of one kind saw. */
    static final class Outcomes {
        final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        final List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        final Set<Long> createdIds = ConcurrentHashMap.newKeySet();

        void add(int status, long nanos) {
            statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
            micros.add(nanos / 1000);
        }

        long count() {
            return micros.size();
        }

        long ok() {
            return statuses.entrySet().stream().filter(e -> e.getKey() / 100 == 2).mapToLong(e -> e.getValue().get()).sum();
        }

        String percentile(double p) {
            List<Long> sorted = new ArrayList<>(micros);
            Collections.sort(sorted);
            return sorted.isEmpty() ? "-" : String.format("%.0f", sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * p)) / 1000.0);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        try (EmbeddedDynamoDb server = EmbeddedDynamoDb.start(freePort(), null)) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("DYNAMODB_ENDPOINT", server.endpoint().toString());
            env.putIfAbsent("AWS_REGION", "us-east-1");
            env.putIfAbsent("AWS_ACCESS_KEY_ID", "local");
            env.putIfAbsent("AWS_SECRET_ACCESS_KEY", "local");
            String prefix = "load" + System.nanoTime() + "-";
            env.put("OTP_TABLE_NAME", prefix + "OtpCodesTable");
            env.put("COUNTER_TABLE_NAME", prefix + "CountersTable");
            env.put("SUMMARY_TABLE_NAME", prefix + "SummariesTable");
            env.put("TOKEN_TABLE_NAME", prefix + "TokensTable");
            Settings direct = Settings.fromEnvironment(env);
            DynamoDbClient directClient = DynamoDbClients.create(direct, Duration.ofMinutes(2), Duration.ofMinutes(5));
            for (var table : SamTemplate.load().tables(prefix)) {
                directClient.createTable(table);
            }
            seed(direct, directClient, options.seedCodes());
            try (AwsLimitsEmulator emulator = new AwsLimitsEmulator(server.endpoint(), directClient, options.k())) {
                env.put("DYNAMODB_ENDPOINT", emulator.endpoint().toString());
                Settings limited = Settings.fromEnvironment(env);
                // the functions' time limits, stretched as the emulator stretches DynamoDB's latency
                DynamoDbClient client = DynamoDbClients.create(limited, Duration.ofMillis(Math.round(3000 * options.k())),
                        Duration.ofMillis(Math.round(10_000 * options.k())));
                run(options, limited, client, emulator, directClient, direct);
            }
        }
        System.exit(0);
    }

    private static void run(Options options, Settings settings, DynamoDbClient client, AwsLimitsEmulator emulator,
            DynamoDbClient directClient, Settings direct) throws Exception {
        byte[] createEvent = Files.readAllBytes(Path.of("events/create.json"));
        byte[] updateEvent = Files.readAllBytes(Path.of("events/update.json"));
        Outcomes creates = new Outcomes();
        Outcomes patches = new Outcomes();
        long deadline = System.nanoTime() + options.seconds() * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(options.callers() + options.patchers());
        List<Future<?>> callers = new ArrayList<>();
        for (int c = 0; c < options.callers(); c++) {
            RequestStreamHandler handler = LoadHandlers.create(settings, client, options.k());
            Random random = new Random(c);
            callers.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    String body = random.nextBoolean()
                            ? "{\"code\": " + random.nextInt(1_000_000) + ", \"mobile_number\": \"0912" + (1_000_000 + random.nextInt(9_000_000)) + "\"}"
                            : "{\"code\": " + random.nextInt(1_000_000) + ", \"email\": \"u" + random.nextInt(100_000) + "@example.com\"}";
                    Map<String, Object> answer = invoke(handler, event(createEvent, body, null), creates);
                    if (answer != null && Integer.valueOf(201).equals(answer.get("statusCode"))) {
                        creates.createdIds.add(((Number) JSON.std.mapFrom((String) answer.get("body")).get("id")).longValue());
                    }
                }
                return null;
            }));
        }
        for (int p = 0; p < options.patchers(); p++) {
            RequestStreamHandler handler = LoadHandlers.update(settings, client, options.k());
            Random random = new Random(1000 + p);
            callers.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    long id = 1 + random.nextInt(options.seedCodes());
                    String body = random.nextBoolean() ? "{\"code\": " + random.nextInt(1_000_000) + "}"
                            : "{\"valid_to\": \"" + Instant.now().plusSeconds(60 + random.nextInt(7200)) + "\"}";
                    invoke(handler, event(updateEvent, body, id), patches);
                }
                return null;
            }));
        }
        for (Future<?> caller : callers) {
            caller.get();
        }
        pool.shutdown();
        double seconds = options.seconds();
        AwsLimitsEmulator.Counts counts = emulator.counts;
        System.out.printf("k=%s callers=%d patchers=%d seconds=%d%n", options.k(), options.callers(), options.patchers(),
                options.seconds());
        report("creates", creates, seconds, options.k());
        if (options.patchers() > 0) {
            report("patches", patches, seconds, options.k());
        }
        System.out.printf("emulator: transactions=%d conflicts(cancelled)=%d plain-write conflicts=%d write throttles=%d "
                + "read throttles=%d write units=%d (%.1f a request) items found held=%s, throttled=%s%n",
                counts.transactions.get(), counts.transactionConflicts.get(), counts.plainWriteConflicts.get(),
                counts.writeThrottles.get(), counts.readThrottles.get(), counts.writeUnits.get(),
                counts.writeUnits.get() / (double) Math.max(1, creates.ok() + patches.ok()), new TreeMap<>(counts.conflictsByFamily), new TreeMap<>(counts.throttlesByFamily));
        check(direct, directClient, creates.createdIds, options.seedCodes());
    }

    private static void report(String kind, Outcomes outcomes, double seconds, double k) {
        System.out.printf("%s: %d in %.0f s = %.1f/s (x k = %.0f/s AWS-equivalent), statuses %s, p50 %s ms, p99 %s ms%n",
                kind, outcomes.count(), seconds, outcomes.ok() / seconds, outcomes.ok() / seconds * k,
                new TreeMap<>(outcomes.statuses), outcomes.percentile(0.5), outcomes.percentile(0.99));
    }

    /** The brute-force check: every created id stored once, and the counts of the lists equal a Scan's. */
    private static void check(Settings settings, DynamoDbClient client, Set<Long> created, int seeded) {
        Set<Long> stored = new HashSet<>();
        Instant now = Instant.now();
        long live = 0;
        Map<String, AttributeValue> from = null;
        do {
            Map<String, AttributeValue> start = from;
            var page = client.scan(r -> r.tableName(settings.otpTableName()).consistentRead(true).exclusiveStartKey(start));
            for (Map<String, AttributeValue> item : page.items()) {
                stored.add(Long.parseLong(item.get(OtpTableSchema.ID).n()));
                if (Long.parseLong(item.get(OtpTableSchema.EXPIRES_AT).n()) > now.getEpochSecond()) {
                    live++;
                }
            }
            from = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
        } while (from != null);
        long missing = created.stream().filter(id -> !stored.contains(id)).count();
        DynamoDbOtpCodeRepository repository = new DynamoDbOtpCodeRepository(client, settings);
        var idOrder = repository.list(ListQuery.parse(Map.of("ordering", "-id"), 100), now);
        var onePass = repository.list(ListQuery.parse(Map.of("ordering", "-code"), 100), now);
        System.out.printf("check: %d codes stored (%d seeded, %d created and answered 201), %d answered 201 but missing; "
                + "live by Scan %d, list -id %d (%s), list -code %d (%s): %s%n", stored.size(), seeded, created.size(), missing,
                live, idOrder.count(), idOrder.stats().operation(), onePass.count(), onePass.stats().operation(),
                missing == 0 && idOrder.count() == live && onePass.count() == live && stored.size() == seeded + created.size()
                        ? "EXACT" : "MISMATCH");
    }

    /** Seeds codes for the PATCH callers through the real create path, straight to DynamoDB Local. */
    private static void seed(Settings settings, DynamoDbClient client, int codes) throws Exception {
        RequestStreamHandler handler = LoadHandlers.create(settings, client, 1);
        byte[] createEvent = Files.readAllBytes(Path.of("events/create.json"));
        Outcomes outcomes = new Outcomes();
        for (int i = 0; i < codes; i++) {
            invoke(handler, event(createEvent, "{\"code\": " + i + ", \"email\": \"seed" + i + "@example.com\"}", null), outcomes);
        }
        if (outcomes.ok() != codes) {
            throw new IllegalStateException("seeding failed: " + outcomes.statuses);
        }
    }

    @SuppressWarnings("unchecked")
    private static byte[] event(byte[] template, String body, Long id) throws Exception {
        Map<String, Object> event = JSON.std.mapFrom(template);
        event.put("body", body);
        if (id != null) {
            event.put("path", "/api/notifications/otp/" + id + "/");
            event.put("pathParameters", Map.of("id", Long.toString(id)));
        }
        return JSON.std.asBytes(event);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> invoke(RequestStreamHandler handler, byte[] event, Outcomes outcomes) {
        long start = System.nanoTime();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event), out, null);
            Map<String, Object> answer = JSON.std.mapFrom(out.toByteArray());
            outcomes.add(((Number) answer.get("statusCode")).intValue(), System.nanoTime() - start);
            return answer;
        } catch (Exception e) {
            outcomes.add(-1, System.nanoTime() - start);
            return null;
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
