package io.otpcodes.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
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
        DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(new String[0]));
        bindToLoopback(server);
        server.start();
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
