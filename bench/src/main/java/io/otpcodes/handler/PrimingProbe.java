package io.otpcodes.handler;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.otpcodes.bench.Probes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One JVM: initialise a function as Lambda does, optionally run its SnapStart priming hooks,
 * then time the first invocation and the warm ones after it.
 * Usage: PrimingProbe HANDLER_CLASS EVENT_FILE true|false
 *
 * <p>In the handler package (of the bench module) only to call {@code Priming.primeAll()}, which
 * only the SnapStart hooks may call in production.
 */
public final class PrimingProbe {

    private PrimingProbe() {
    }

    public static void main(String[] args) throws Exception {
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getConstructor().newInstance();
        if (Boolean.parseBoolean(args[2])) {
            Priming.primeAll();
        }
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        long first = time(handler, event);
        long[] warm = new long[40];
        for (int i = 0; i < warm.length; i++) {
            warm[i] = time(handler, event);
        }
        Arrays.sort(warm);
        System.out.println("first_us=" + first / 1000 + " warm_us=" + warm[warm.length / 2] / 1000);
        Probes.report();
    }

    private static long time(RequestStreamHandler handler, byte[] event) throws Exception {
        long start = System.nanoTime();
        handler.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(), null);
        return System.nanoTime() - start;
    }
}
