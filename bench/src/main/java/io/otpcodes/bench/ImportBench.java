package io.otpcodes.bench;

import io.otpcodes.config.Settings;
import io.otpcodes.local.EmbeddedDynamoDb;
import io.otpcodes.local.LocalRuntime;
import io.otpcodes.local.SamTemplate;
import io.otpcodes.store.DynamoDbClients;
import java.io.IOException;
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
 * import's own report (its write units).
 *
 * <pre>
 * mvn -B -q -Pbench package -DskipTests &amp;&amp; java -cp "$(cat bench/target/classpath.txt):bench/target/classes" \
 *     io.otpcodes.bench.ImportBench [--codes 1000000] [--heap 256m] [--threads 8]
 * </pre>
 */
public final class ImportBench {

    public static void main(String[] args) throws Exception {
        int codes = 1_000_000;
        String heap = "256m";
        String threads = "8";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--codes" -> codes = Integer.parseInt(args[++i]);
                case "--heap" -> heap = args[++i];
                case "--threads" -> threads = args[++i];
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
        }
        System.exit(status == 0 ? 0 : 1);
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
