package io.otpcodes.local;

import io.otpcodes.auth.DynamoDbTokenRepository;
import io.otpcodes.config.Settings;
import io.otpcodes.store.CodeImporter;
import io.otpcodes.store.DynamoDbClients;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code import tokens|codes FILE}: moves a team in from the old DRF service, from the CSV files
 * its PostgreSQL exports (README: the export and the cutover). Into any DynamoDB holding the
 * template's tables ({@code --endpoint-url}), a deployed stack's ({@code --stack}), or the
 * tables named ({@code --table}, {@code --summary-table}, {@code --counter-table}) with the
 * default credential chain. The report goes to standard output, progress and trouble to standard
 * error; the exit code is 0 when every row was taken, 1 when any was rejected or the import had
 * to stop, 2 when nothing could start.
 */
final class ImportCommand {

    static final String CODES_TABLE = "OtpCodesTable";
    static final String SUMMARIES_TABLE = "SummariesTable";
    static final String COUNTERS_TABLE = "CountersTable";
    static final String TOKENS_TABLE = "TokensTable";

    private static final Set<String> WITH_VALUE = Set.of("--endpoint-url", "--stack", "--region", "--profile", "--table",
            "--summary-table", "--counter-table", "--reserve-ids", "--threads");
    private static final Set<String> FLAGS = Set.of("--dry-run", "--verify");

    private ImportCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err);
    }

    /** The command with this environment: AWS's variables, endpoints, OTP_RETENTION_SECONDS. */
    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (args.length < 2 || !(args[0].equals("codes") || args[0].equals("tokens"))) {
            err.println("import takes what and a file: import codes FILE, or import tokens FILE");
            err.println(Main.HELP);
            return Main.USAGE;
        }
        boolean codes = args[0].equals("codes");
        Map<String, String> given = new HashMap<>();
        Path file = null;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (FLAGS.contains(arg)) {
                given.put(arg, "");
            } else if (WITH_VALUE.contains(arg)) {
                if (i + 1 >= args.length) {
                    err.println(arg + " needs a value");
                    return Main.USAGE;
                }
                given.put(arg, args[++i]);
            } else if (arg.startsWith("--")) {
                err.println("unknown option: " + arg);
                return Main.USAGE;
            } else if (file == null) {
                file = Path.of(arg);
            } else {
                err.println("import takes one file, not also " + arg);
                return Main.USAGE;
            }
        }
        String problem = problem(codes, file, given);
        if (problem != null) {
            err.println(problem);
            return Main.USAGE;
        }
        DynamoDbTarget.Connection connection;
        try {
            connection = connect(given, environment, err);
        } catch (DynamoDbTarget.Unusable e) {
            err.println(e.getMessage());
            return Main.USAGE;
        } catch (Exception e) {
            err.println("cannot connect: " + Endpoints.firstLine(e.getMessage()));
            return Main.USAGE;
        }
        Settings settings = Settings.fromEnvironment(environment);
        try (DynamoDbClient dynamoDb = connection.dynamoDb()) {
            if (codes) {
                CodeImporter importer = new CodeImporter(dynamoDb,
                        given.getOrDefault("--table", connection.tableName(CODES_TABLE)),
                        given.getOrDefault("--counter-table", connection.tableName(COUNTERS_TABLE)),
                        given.getOrDefault("--summary-table", connection.tableName(SUMMARIES_TABLE)), settings.retention());
                CodeImport.Options options = new CodeImport.Options(file, given.containsKey("--dry-run"),
                        given.containsKey("--verify"),
                        Long.parseLong(given.getOrDefault("--reserve-ids", Long.toString(CodeImport.DEFAULT_RESERVE))),
                        Integer.parseInt(given.getOrDefault("--threads", Integer.toString(CodeImport.DEFAULT_THREADS))));
                return new CodeImport(importer, out, err, total -> Progress.of(err, total)).run(options, Instant.now());
            }
            DynamoDbTokenRepository tokens = new DynamoDbTokenRepository(dynamoDb,
                    given.getOrDefault("--table", connection.tableName(TOKENS_TABLE)));
            return new TokenImport(tokens, out).run(file, given.containsKey("--dry-run"), Instant.now());
        } catch (CsvFile.Unreadable e) {
            err.println(e.getMessage());
            err.println("nothing was written");
            return Main.USAGE;
        } catch (SdkException e) {
            err.println("DynamoDB refused: " + Endpoints.firstLine(e.getMessage()));
            return 1;
        }
    }

    /** What is wrong with the command line, in one line; null when nothing is. */
    private static String problem(boolean codes, Path file, Map<String, String> given) {
        if (file == null) {
            return "import " + (codes ? "codes" : "tokens") + " needs the file to import";
        }
        if (!Files.isReadable(file)) {
            return "cannot read " + file;
        }
        if (!codes) {
            for (String option : List.of("--summary-table", "--counter-table", "--reserve-ids", "--verify", "--threads")) {
                if (given.containsKey(option)) {
                    return option + " is for import codes";
                }
            }
        }
        if (given.containsKey("--verify") && given.containsKey("--dry-run")) {
            return "--verify writes nothing already: give it without --dry-run";
        }
        for (String option : List.of("--reserve-ids", "--threads")) {
            if (given.containsKey(option)) {
                long min = option.equals("--threads") ? 1 : 0;
                long max = option.equals("--threads") ? 64 : 1L << 40;
                try {
                    long value = Long.parseLong(given.get(option));
                    if (value < min || value > max) {
                        return option + " must be a whole number from " + min + " to " + max + ", not '" + given.get(option) + "'";
                    }
                } catch (NumberFormatException e) {
                    return option + " must be a whole number, not '" + given.get(option) + "'";
                }
            }
        }
        if (given.containsKey("--endpoint-url") && given.containsKey("--stack")) {
            return "give --endpoint-url or --stack, not both";
        }
        if ((given.containsKey("--region") || given.containsKey("--profile")) && !given.containsKey("--stack")) {
            return "--region and --profile go with --stack";
        }
        String endpointProblem = Endpoints.problem(given.get("--endpoint-url"));
        if (endpointProblem != null) {
            return endpointProblem;
        }
        if (!given.containsKey("--endpoint-url") && !given.containsKey("--stack")) {
            List<String> needed = codes ? List.of("--table", "--summary-table", "--counter-table") : List.of("--table");
            for (String option : needed) {
                if (!given.containsKey(option)) {
                    return "against AWS give --stack NAME, or the tables: " + String.join(", ", needed)
                            + " (the stack's " + (codes ? "OtpCodesTableName, SummariesTableName and CountersTableName"
                                    : "TokensTableName") + " outputs)";
                }
            }
        }
        return null;
    }

    private static DynamoDbTarget.Connection connect(Map<String, String> given, Map<String, String> environment, PrintStream err)
            throws Exception {
        if (given.containsKey("--endpoint-url")) {
            return DynamoDbTarget.connect(new DynamoDbTarget.Endpoint(given.get("--endpoint-url")), SamTemplate.load(),
                    environment, err);
        }
        if (given.containsKey("--stack")) {
            return DynamoDbTarget.connect(new DynamoDbTarget.DeployedStack(given.get("--stack"), given.get("--region"),
                    given.get("--profile")), SamTemplate.load(), environment, err);
        }
        DynamoDbClient dynamoDb = DynamoDbClients.create(Settings.fromEnvironment(environment));
        return new DynamoDbTarget.Connection(dynamoDb, Map.of(), Map.of(), false, null, "AWS");
    }
}
