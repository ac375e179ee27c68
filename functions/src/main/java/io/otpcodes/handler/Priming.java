package io.otpcodes.handler;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.otpcodes.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: before Lambda snapshots an initialised function, run it on requests that
 * read or refuse but never write, so that the JSON, validation, signing and HTTP classes are
 * loaded and in the snapshot rather than loaded by the first real request. Registered only by
 * the no-argument constructors the Lambda runtime uses; off SnapStart it is never called.
 */
final class Priming implements Resource {

    /** Kept reachable: CRaC holds resources weakly. */
    private static final List<Priming> REGISTERED = new ArrayList<>();

    private final Runnable action;

    private Priming(Runnable action) {
        this.action = action;
    }

    /** Runs these events through the handler before the snapshot. */
    static void register(RequestStreamHandler handler, List<Map<String, Object>> events) {
        registerAction(() -> run(handler, events));
    }

    /** Any other action to run before the snapshot; it must change nothing. */
    static synchronized void registerAction(Runnable action) {
        Priming priming = new Priming(action);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    /** What the snapshot hook does; the benchmark calls it directly to measure its effect. */
    void prime() {
        try {
            action.run();
        } catch (RuntimeException expected) {
            // 404s and refusals are the expected outcomes; priming must never fail a snapshot
        }
    }

    /** Primes everything registered in this JVM, as a snapshot would. */
    static synchronized void primeAll() {
        for (Priming priming : REGISTERED) {
            priming.prime();
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to reopen (the SDK's URL connections are made per request); the first request
        // from here on is this environment's cold start
        ColdStart.restored();
    }

    /** Runs the events through the handler, ignoring outcomes: priming must never fail a snapshot. */
    static void run(RequestStreamHandler handler, List<Map<String, Object>> events) {
        for (Map<String, Object> event : events) {
            try {
                handler.handleRequest(new ByteArrayInputStream(Json.writeBytes(event)), new ByteArrayOutputStream(), null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException expected) {
                // the authorizer's 401 and direct-invocation errors are outcomes, not failures
            }
        }
    }

    /** An API Gateway proxy event as the functions read it. */
    static Map<String, Object> apiEvent(String method, String resource, String path, Map<String, String> pathParameters,
            Map<String, String> query, String body) {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("resource", resource);
        event.put("path", path);
        event.put("httpMethod", method);
        event.put("headers", Map.of("Content-Type", "application/json", "Host", "priming.local"));
        event.put("queryStringParameters", query);
        event.put("pathParameters", pathParameters);
        event.put("requestContext", Map.of("stage", "api", "path", path, "requestId", "priming",
                "authorizer", Map.of("name", "priming")));
        event.put("body", body);
        event.put("isBase64Encoded", false);
        return event;
    }
}
