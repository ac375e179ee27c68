package io.otpcodes.bench;

import io.otpcodes.auth.ApiToken;
import io.otpcodes.auth.DynamoDbTokenRepository;
import io.otpcodes.auth.Permission;
import io.otpcodes.auth.TokenHash;
import io.otpcodes.config.Settings;
import io.otpcodes.json.Json;
import io.otpcodes.local.EmbeddedDynamoDb;
import io.otpcodes.local.FunctionLoader;
import io.otpcodes.local.LocalRuntime;
import io.otpcodes.local.SamTemplate;
import io.otpcodes.store.DynamoDbClients;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The benchmarks: cold invocations against their floor, SnapStart priming, warm latency, list
 * cost by table size, JSON libraries, runtimes, jar size. Prints Markdown tables and writes
 * them to bench/RESULTS.md. Run from the repository root (see bench/README.md).
 */
public final class Bench {

    static final List<String> LAMBDA_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    static final Path LAMBDA_JAR = Path.of("functions/target/otp-functions-lambda.jar");
    static final Path EVENTS = Path.of("events");
    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    private final int runs;
    private final List<String> only;
    private final StringBuilder report = new StringBuilder();
    private final Map<String, String> childEnv = new HashMap<>();
    private String probeClasspath;
    private String benchClasspath;
    private DynamoDbClient dynamoDb;
    private Settings settings;

    private Bench(int runs, List<String> only) {
        this.runs = runs;
        this.only = only;
    }

    public static void main(String[] args) throws Exception {
        int runs = 10;
        // the list cost by table size is ListCostBench's (list v2); this bench no longer has a "scale" section
        List<String> only = List.of("cold", "priming", "warm", "json", "local");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--only")) {
                only = List.of(args[++i].split(","));
            } else if (args[i].equals("--runs")) {
                runs = Integer.parseInt(args[++i]);
            }
        }
        if (!Files.exists(LAMBDA_JAR)) {
            throw new IllegalStateException("build first: mvn -B -q -Pbench package -DskipTests (from the repository root)");
        }
        new Bench(runs, only).run();
        // DynamoDB Local leaves a non-daemon scheduler thread sleeping for minutes after stop()
        System.exit(0);
    }

    private void run() throws Exception {
        benchClasspath = System.getProperty("java.class.path");
        probeClasspath = LAMBDA_JAR + java.io.File.pathSeparator + Path.of("bench/target/classes");
        try (EmbeddedDynamoDb server = EmbeddedDynamoDb.start(freePort(), null)) {
            childEnv.put("DYNAMODB_ENDPOINT", server.endpoint().toString());
            childEnv.put("AWS_REGION", "us-east-1");
            childEnv.put("AWS_ACCESS_KEY_ID", "local");
            childEnv.put("AWS_SECRET_ACCESS_KEY", "local");
            SamTemplate template = SamTemplate.load();
            Map<String, String> env = new HashMap<>(childEnv);
            for (SamTemplate.Function function : template.functions()) {
                env.putAll(template.environment(function.logicalId(), ""));
            }
            env.remove("JAVA_TOOL_OPTIONS");
            childEnv.putAll(env);
            settings = Settings.fromEnvironment(env);
            dynamoDb = DynamoDbClients.create(settings);
            LocalRuntime.createTables(template, dynamoDb);
            seed();

            header();
            if (only.contains("cold")) {
                cold();
            }
            if (only.contains("priming")) {
                priming();
            }
            if (only.contains("warm")) {
                warm();
            }
            if (only.contains("json")) {
                json();
            }
            if (only.contains("local")) {
                LocalRuntimeLoad.run(runs, this::say);
            }
        }
        if (only.size() == 5) {
            Files.writeString(Path.of("bench/RESULTS.md"), report.toString());
            System.out.println("\n(written to bench/RESULTS.md)");
        }
    }

    /** The token of events/authorizer.json and the code events/update.json patches (id 1). */
    @SuppressWarnings("unchecked")
    private void seed() throws IOException {
        Map<String, Object> event = (Map<String, Object>) Json.parse(Files.readAllBytes(EVENTS.resolve("authorizer.json")));
        String header = (String) ((Map<String, Object>) event.get("headers")).get("Authorization");
        new DynamoDbTokenRepository(dynamoDb, settings.tokenTableName()).save(TokenHash.sha256(header.substring(6)),
                new ApiToken("bench", true, true, true, EnumSet.allOf(Permission.class), Instant.now()));
        var create = FunctionLoader.load("io.otpcodes.handler.CreateOtpCodeHandler", settings, dynamoDb);
        create.handleRequest(new ByteArrayInputStream(Files.readAllBytes(EVENTS.resolve("create.json"))),
                new ByteArrayOutputStream(), null);
    }

    private void header() throws Exception {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown");
        say("# Benchmark results");
        say("");
        say("Date: " + LocalDate.now() + ". Machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpu
                + "), " + Math.round(memTotalGib()) + " GiB; " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version") + ". DynamoDB Local 2.6.1 in the bench's JVM on loopback.");
        say("Command: `mvn -B -q -Pbench package -DskipTests && java -cp \"$(cat bench/target/classpath.txt):bench/target/classes\" io.otpcodes.bench.Bench`"
                + " (" + runs + " runs per figure after 2 warm-up runs; medians, with min and max).");
        say("Probe JVMs run with Lambda's flags: `" + String.join(" ", LAMBDA_FLAGS) + "`, on the deployed jar ("
                + String.format("%.2f MiB", Files.size(LAMBDA_JAR) / 1048576.0) + ").");
    }

    private void cold() throws Exception {
        say("");
        say("## Cold invocation (fresh JVM: init + one event) vs the floor");
        say("");
        say("The floor: a fresh JVM that builds a DynamoDbClient (url-connection client) and does one PutItem.");
        say("");
        say("| variant | wall median (ms) | min | max | ratio to floor | peak RSS median (MiB) |");
        say("|---|---|---|---|---|---|");
        Sample floor = sample(java(), List.of("io.otpcodes.bench.FloorProbe", settings.counterTableName()));
        row("floor: client + PutItem", floor, floor);
        Map<String, String> functions = new LinkedHashMap<>();
        functions.put("authorizer", "io.otpcodes.handler.TokenAuthorizerHandler authorizer.json");
        functions.put("create", "io.otpcodes.handler.CreateOtpCodeHandler create.json");
        functions.put("list", "io.otpcodes.handler.ListOtpCodesHandler list.json");
        functions.put("retrieve", "io.otpcodes.handler.ListOtpCodesHandler retrieve.json");
        functions.put("update", "io.otpcodes.handler.UpdateOtpCodeHandler update.json");
        for (Map.Entry<String, String> function : functions.entrySet()) {
            String[] parts = function.getValue().split(" ");
            Sample sample = sample(java(), List.of("io.otpcodes.bench.ColdInvoke", parts[0], EVENTS.resolve(parts[1]).toString()));
            row(function.getKey(), sample, floor);
        }
        if (Files.exists(JDK25)) {
            Sample floor25 = sample(JDK25.toString(), List.of("io.otpcodes.bench.FloorProbe", settings.counterTableName()));
            row("floor on JDK 25", floor25, floor);
            Sample create25 = sample(JDK25.toString(), List.of("io.otpcodes.bench.ColdInvoke",
                    "io.otpcodes.handler.CreateOtpCodeHandler", EVENTS.resolve("create.json").toString()));
            row("create on JDK 25 (ratio to the JDK 17 floor)", create25, floor);
            say("");
            say("On JDK 25, create / JDK 25 floor = " + String.format("%.2f", create25.median() / floor25.median()) + ".");
        }
    }

    private void priming() throws Exception {
        say("");
        say("## SnapStart priming: first invocation after init, in one JVM");
        say("");
        say("| function | first, not primed (ms) | first, primed (ms) | warm (ms) | first/warm not primed | first/warm primed |");
        say("|---|---|---|---|---|---|");
        Map<String, String> functions = new LinkedHashMap<>();
        functions.put("authorizer", "io.otpcodes.handler.TokenAuthorizerHandler authorizer.json");
        functions.put("create", "io.otpcodes.handler.CreateOtpCodeHandler create.json");
        functions.put("list", "io.otpcodes.handler.ListOtpCodesHandler list.json");
        functions.put("update", "io.otpcodes.handler.UpdateOtpCodeHandler update.json");
        for (Map.Entry<String, String> function : functions.entrySet()) {
            String[] parts = function.getValue().split(" ");
            double[] cold = primingRun(parts[0], parts[1], false);
            double[] primed = primingRun(parts[0], parts[1], true);
            say(String.format("| %s | %.2f | %.2f | %.2f | %.1fx | %.1fx |", function.getKey(), cold[0], primed[0], primed[1],
                    cold[0] / cold[1], primed[0] / primed[1]));
        }
    }

    /** Medians over runs of {first ms, warm ms}. */
    private double[] primingRun(String handler, String event, boolean prime) throws Exception {
        List<Double> first = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < Math.max(3, runs / 2); i++) {
            String out = exec(java(), LAMBDA_FLAGS, benchClasspath,
                    List.of("io.otpcodes.handler.PrimingProbe", handler, EVENTS.resolve(event).toString(), Boolean.toString(prime))).output;
            for (String token : out.split("\\s+")) {
                if (token.startsWith("first_us=")) {
                    first.add(Long.parseLong(token.substring(9)) / 1000.0);
                } else if (token.startsWith("warm_us=")) {
                    warm.add(Long.parseLong(token.substring(8)) / 1000.0);
                }
            }
        }
        return new double[] {median(first), median(warm)};
    }

    private void warm() throws Exception {
        say("");
        say("## Warm invocations in one JVM (Lambda's flags), through the real handlers");
        say("");
        say("| function | in-memory p50 (ms) | in-memory p99 (ms) | DynamoDB Local p50 (ms) | DynamoDB Local p99 (ms) |");
        say("|---|---|---|---|---|");
        String out = exec(java(), LAMBDA_FLAGS, benchClasspath,
                List.of("io.otpcodes.handler.WarmProbe", EVENTS.toString(), "3000")).output;
        Map<String, double[]> rows = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (!line.startsWith("warm ")) {
                continue;
            }
            Map<String, String> fields = new HashMap<>();
            for (String token : line.split(" ")) {
                int eq = token.indexOf('=');
                if (eq > 0) {
                    fields.put(token.substring(0, eq), token.substring(eq + 1));
                }
            }
            double[] row = rows.computeIfAbsent(fields.get("function"), f -> new double[4]);
            int at = fields.get("store").equals("memory") ? 0 : 2;
            row[at] = Long.parseLong(fields.get("p50_us")) / 1000.0;
            row[at + 1] = Long.parseLong(fields.get("p99_us")) / 1000.0;
        }
        rows.forEach((function, r) -> say(String.format("| %s | %.3f | %.3f | %.3f | %.3f |", function, r[0], r[1], r[2], r[3])));
    }

    private void json() throws Exception {
        say("");
        say("## JSON: the JSON work of one request in a fresh JVM");
        say("");
        say("| library | wall median (ms) | min | max | ratio to jackson-core streaming | peak RSS median (MiB) |");
        say("|---|---|---|---|---|---|");
        Sample core = null;
        for (String variant : List.of("core", "databind", "jr")) {
            Sample sample = sample(java(), LAMBDA_FLAGS, benchClasspath,
                    List.of("io.otpcodes.bench.JsonProbe", variant, EVENTS.resolve("create.json").toString()));
            if (core == null) {
                core = sample;
            }
            row(Map.of("core", "jackson-core streaming (used)", "databind", "jackson-databind tree",
                    "jr", "jackson-jr").get(variant), sample, core);
        }
    }

    // --- probe processes ---

    record Sample(List<Double> wallMs, List<Double> rssMib) {
        double median() {
            return Bench.median(wallMs);
        }
    }

    record Exec(String output, double wallMs, double rssMib) {
    }

    private Sample sample(String java, List<String> args) throws Exception {
        return sample(java, LAMBDA_FLAGS, probeClasspath, args);
    }

    private Sample sample(String java, List<String> flags, String classpath, List<String> args) throws Exception {
        for (int i = 0; i < 2; i++) {
            exec(java, flags, classpath, args);
        }
        List<Double> wall = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Exec exec = exec(java, flags, classpath, args);
            wall.add(exec.wallMs);
            rss.add(exec.rssMib);
        }
        return new Sample(wall, rss);
    }

    private Exec exec(String java, List<String> flags, String classpath, List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(flags);
        command.add("-cp");
        command.add(classpath);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(childEnv);
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        long start = System.nanoTime();
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("probe failed: " + command + "\n" + new String(output));
        }
        double wall = (System.nanoTime() - start) / 1e6;
        String text = new String(output);
        double rss = -1;
        for (String line : text.split("\n")) {
            if (line.startsWith("rss_kib=")) {
                rss = Long.parseLong(line.substring(8).strip()) / 1024.0;
            }
        }
        return new Exec(text, wall, rss);
    }

    private static String java() {
        return javaBinary();
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void row(String name, Sample sample, Sample floor) {
        say(String.format("| %s | %.0f | %.0f | %.0f | %.2fx | %.1f |", name, sample.median(), Collections.min(sample.wallMs),
                Collections.max(sample.wallMs), sample.median() / floor.median(), median(sample.rssMib)));
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    void say(String line) {
        System.out.println(line);
        System.out.flush();
        report.append(line).append('\n');
    }

    private static double memTotalGib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1048576.0;
            }
        }
        return 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
