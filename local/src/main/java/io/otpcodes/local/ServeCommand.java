package io.otpcodes.local;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code serve [--port 3000] [--lambda-port 3001] [--dynamodb-port 8000] [--data-dir .otp-local | --in-memory
 * | --endpoint-url URL | --stack NAME [--region R] [--profile P]]}.
 */
final class ServeCommand {

    static final int DEFAULT_PORT = 3000;
    static final int DEFAULT_LAMBDA_PORT = 3001;
    static final int DEFAULT_DYNAMODB_PORT = 8000;
    static final String DEFAULT_DATA_DIR = ".otp-local";

    private ServeCommand() {
    }

    record Parsed(LocalRuntime.Options options, String error) {
    }

    /** The options that take a value; the port ones with their defaults, in the same order. */
    private static final Set<String> WITH_VALUE = Set.of("--port", "--lambda-port", "--dynamodb-port", "--data-dir",
            "--endpoint-url", "--stack", "--region", "--profile");
    private static final List<String> PORTS = List.of("--port", "--lambda-port", "--dynamodb-port");
    private static final List<Integer> PORT_DEFAULTS = List.of(DEFAULT_PORT, DEFAULT_LAMBDA_PORT, DEFAULT_DYNAMODB_PORT);

    /** A start that cannot go on: a port in use, a data folder that cannot be used. */
    static final class StartFailure extends Exception {
        private static final long serialVersionUID = 1L;

        StartFailure(String message) {
            super(message);
        }
    }

    static Parsed parse(String[] args, Map<String, String> environment) {
        Map<String, String> given = new HashMap<>();
        boolean inMemory = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--in-memory")) {
                inMemory = true;
            } else if (!WITH_VALUE.contains(arg)) {
                return new Parsed(null, "unknown option: " + arg);
            } else if (i + 1 >= args.length) {
                return new Parsed(null, arg + " needs a value");
            } else {
                given.put(arg, args[++i]);
            }
        }
        int[] ports = new int[PORTS.size()];
        for (int k = 0; k < ports.length; k++) {
            String flag = PORTS.get(k);
            String value = given.get(flag);
            Integer number = value == null ? PORT_DEFAULTS.get(k) : port(value);
            if (number == null) {
                return new Parsed(null, flag + " must be a port number from 1 to 65535, not '" + value + "'");
            }
            ports[k] = number;
        }
        int port = ports[0];
        int lambdaPort = ports[1];
        int dynamoDbPort = ports[2];
        boolean dataDirGiven = given.containsKey("--data-dir");
        boolean dynamoDbPortGiven = given.containsKey("--dynamodb-port");
        Path dataDir = Path.of(given.getOrDefault("--data-dir", DEFAULT_DATA_DIR));
        String endpointUrl = given.get("--endpoint-url");
        String stack = given.get("--stack");
        String region = given.get("--region");
        String profile = given.get("--profile");
        if (inMemory && dataDirGiven) {
            return new Parsed(null, "--data-dir and --in-memory exclude each other");
        }
        String elsewhere = endpointUrl != null ? "--endpoint-url" : stack != null ? "--stack" : null;
        if (endpointUrl != null && stack != null) {
            return new Parsed(null, "--endpoint-url and --stack exclude each other");
        }
        if (elsewhere != null && (inMemory || dataDirGiven || dynamoDbPortGiven)) {
            return new Parsed(null, elsewhere + " serves from another DynamoDB: --data-dir, --in-memory and --dynamodb-port"
                    + " are for the embedded one");
        }
        if (stack == null && (region != null || profile != null)) {
            return new Parsed(null, "--region and --profile go with --stack");
        }
        String endpointProblem = Endpoints.problem(endpointUrl);
        if (endpointProblem != null) {
            return new Parsed(null, endpointProblem);
        }
        if (port == lambdaPort || (elsewhere == null && (port == dynamoDbPort || lambdaPort == dynamoDbPort))) {
            return new Parsed(null, "--port, --lambda-port and --dynamodb-port must differ");
        }
        LocalRuntime.Options options = new LocalRuntime.Options(port, lambdaPort, dynamoDbPort, inMemory ? null : dataDir,
                new HashMap<>(environment), null);
        if (endpointUrl != null) {
            options = options.withEndpoint(endpointUrl);
        } else if (stack != null) {
            options = options.withStack(stack, region, profile);
        }
        return new Parsed(options, null);
    }

    private static Integer port(String text) {
        try {
            int n = Integer.parseInt(text);
            return n >= 1 && n <= 65535 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static LocalRuntime start(LocalRuntime.Options options, PrintStream out) throws StartFailure {
        requireFree(options.port(), "--port");
        requireFree(options.lambdaPort(), "--lambda-port");
        if (options.embedsDynamoDb()) {
            requireFree(options.dynamoDbPort(), "--dynamodb-port");
            if (options.dataDir() != null) {
                prepare(options.dataDir());
            }
        }
        try {
            return LocalRuntime.start(options, out);
        } catch (DynamoDbTarget.Unusable e) {
            throw new StartFailure(e.getMessage());
        } catch (Exception e) {
            throw new StartFailure("could not start: " + Endpoints.firstLine(e.getMessage()));
        }
    }

    private static void requireFree(int port, String flag) throws StartFailure {
        try (ServerSocket socket = new ServerSocket()) {
            // as the servers themselves bind: a port whose last connections linger in TIME_WAIT
            // after a restart is free, one with a listener is not
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new StartFailure("port " + port + " is in use (" + flag + "): stop what uses it or choose another port");
        }
    }

    private static void prepare(Path dataDir) throws StartFailure {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StartFailure("data folder " + dataDir + " cannot be created: " + e.getMessage());
        }
        if (!Files.isDirectory(dataDir) || !Files.isReadable(dataDir) || !Files.isWritable(dataDir)) {
            throw new StartFailure("data folder " + dataDir + " is not a readable and writable folder");
        }
        Path database = dataDir.resolve(DATABASE_FILE);
        if (Files.isRegularFile(database) && !isSqlite(database)) {
            throw new StartFailure("data folder " + dataDir + ": " + DATABASE_FILE + " is not a DynamoDB Local database"
                    + " (damaged?); move it away to start afresh, or use --in-memory");
        }
    }

    /** DynamoDB Local's one file in its data folder (it runs with -sharedDb). */
    static final String DATABASE_FILE = "shared-local-instance.db";

    /** An empty file is an empty database to SQLite; anything else starts with SQLite's header. */
    private static boolean isSqlite(Path file) throws StartFailure {
        byte[] header = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] start = in.readNBytes(header.length);
            return start.length == 0 || java.util.Arrays.equals(start, header);
        } catch (IOException e) {
            throw new StartFailure("data folder file " + file + " cannot be read: " + e.getMessage());
        }
    }
}
