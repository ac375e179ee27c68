package io.otpcodes.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A cold invocation, as Lambda makes one: a fresh JVM creates the handler with its no-argument
 * constructor (the function's whole initialisation), then handles one event from events/.
 * Usage: ColdInvoke HANDLER_CLASS EVENT_FILE
 */
public final class ColdInvoke {

    private ColdInvoke() {
    }

    public static void main(String[] args) throws Exception {
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getConstructor().newInstance();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            handler.handleRequest(in, out, null);
        }
        if (out.size() == 0) {
            throw new IllegalStateException("no response");
        }
        Probes.report();
    }
}
