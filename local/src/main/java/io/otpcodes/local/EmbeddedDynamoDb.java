package io.otpcodes.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Amazon's DynamoDB Local, in this JVM, on a loopback port: no Docker, no AWS account.
 * Telemetry is always off (it would write into the working folder and reach the network).
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

    /**
     * sqlite4java's logger: a warning about its own jar at every start, whole stack traces of
     * SQLite's errors. Held here because JUL holds loggers weakly; silenced once DynamoDB Local has
     * started, as it sets its loggers while starting.
     */
    private static final java.util.logging.Logger SQLITE_LOG = java.util.logging.Logger.getLogger("com.almworks.sqlite4java");

    private final DynamoDBProxyServer server;
    private final int port;

    private EmbeddedDynamoDb(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts DynamoDB Local on {@code port} of 127.0.0.1, keeping its data under
     * {@code dataDir}, or in memory when {@code dataDir} is null.
     */
    public static EmbeddedDynamoDb start(int port, Path dataDir) throws Exception {
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-disableTelemetry", "-sharedDb"));
        if (dataDir == null) {
            args.add("-inMemory");
        } else {
            args.add("-dbPath");
            args.add(dataDir.toAbsolutePath().toString());
        }
        DynamoDBProxyServer server;
        // DynamoDB Local prints its configuration banner on standard output, which is the
        // runtime's own (its URLs and the admin token); it says nothing a user needs.
        synchronized (System.class) {
            PrintStream stdout = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                server = ServerRunner.createServerFromCommandLineArgs(args.toArray(new String[0]));
                bindToLoopback(server);
                server.start();
                // DynamoDB Local sets its loggers as it starts; sqlite4java's would print whole stack
                // traces of SQLite's errors, which reach the user as one clear line instead
                SQLITE_LOG.setLevel(java.util.logging.Level.OFF);
            } finally {
                System.setOut(stdout);
            }
        }
        return new EmbeddedDynamoDb(server, port);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /**
     * DynamoDB Local listens on every interface and has no option for it; its Jetty connector
     * is told to listen on loopback only, so a developer's data is never served to the network.
     */
    private static void bindToLoopback(DynamoDBProxyServer server) throws ReflectiveOperationException {
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        org.eclipse.jetty.server.Server jetty = (org.eclipse.jetty.server.Server) field.get(server);
        for (org.eclipse.jetty.server.Connector connector : jetty.getConnectors()) {
            if (connector instanceof org.eclipse.jetty.server.ServerConnector) {
                ((org.eclipse.jetty.server.ServerConnector) connector).setHost("127.0.0.1");
            }
        }
    }
}
