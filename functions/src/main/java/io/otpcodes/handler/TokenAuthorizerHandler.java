package io.otpcodes.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.otpcodes.auth.ApiToken;
import io.otpcodes.auth.AuthorizerDecision;
import io.otpcodes.auth.AuthorizerPolicy;
import io.otpcodes.auth.DynamoDbTokenRepository;
import io.otpcodes.auth.Permission;
import io.otpcodes.auth.TokenAuthorizer;
import io.otpcodes.auth.Unauthorized;
import io.otpcodes.config.Settings;
import io.otpcodes.json.Json;
import io.otpcodes.store.DynamoDbUsage;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The REQUEST authorizer: {@code Authorization} header, to the token's hash, to its holder, to a
 * policy of every route the holder may call. Unauthenticated: 401 (the "Unauthorized" error).
 * Any other failure, such as DynamoDB failing, propagates: API Gateway then answers with its
 * authorizer-failure response, never an allow.
 */
public final class TokenAuthorizerHandler implements RequestStreamHandler {

    static {
        ColdStart.noteLoaded();
    }

    /** The outcome of an answer the authorizer could not decide (template.yaml alarms on it). */
    static final String ERROR_OUTCOME = "error";

    private final TokenAuthorizer authorizer;
    private final EmbeddedMetrics metrics;

    public TokenAuthorizerHandler() {
        this(Functions.tokenAuthorizer(), EmbeddedMetrics.of(Functions.settings()));
        Priming.register(this, primingEvents());
        Priming.registerAction(TokenAuthorizerHandler::primePolicy);
    }

    /** The allow path, which a token no one holds never reaches: a policy for a made-up admin. */
    static void primePolicy() {
        ApiToken admin = new ApiToken("priming", true, true, true, EnumSet.allOf(Permission.class), java.time.Instant.EPOCH);
        Json.write(AuthorizerPolicy.build(AuthorizerDecision.of(admin),
                "arn:aws:execute-api:local:000000000000:priming/api/GET/api/notifications/otp"), OutputStream.nullOutputStream());
    }

    /** A well-formed token no one holds: one GetItem, then the 401 path. */
    static List<Map<String, Object>> primingEvents() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "REQUEST");
        event.put("methodArn", "arn:aws:execute-api:local:000000000000:priming/api/GET/api/notifications/otp");
        event.put("headers", Map.of("Authorization", "Token 0000000000000000000000000000000000000000"));
        return List.of(event);
    }

    /** For runtimes that host the function themselves (the local runtime). */
    public TokenAuthorizerHandler(Settings settings, DynamoDbClient dynamoDb) {
        this(new TokenAuthorizer(new DynamoDbTokenRepository(dynamoDb, settings.tokenTableName())), EmbeddedMetrics.of(settings));
    }

    TokenAuthorizerHandler(TokenAuthorizer authorizer) {
        this(authorizer, EmbeddedMetrics.defaults());
    }

    private TokenAuthorizerHandler(TokenAuthorizer authorizer, EmbeddedMetrics metrics) {
        this.authorizer = authorizer;
        this.metrics = metrics;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        long start = System.nanoTime();
        Map<String, Object> event = ApiHandler.asObject(Json.parse(input));
        DynamoDbUsage usage = DynamoDbUsage.begin();
        AuthorizerDecision decision;
        try {
            decision = authorizer.authorize(authorizationHeader(event));
        } catch (Unauthorized e) {
            log(context, LogLevel.INFO, "unauthenticated", null, 0, start, usage);
            throw e;
        } catch (RuntimeException e) {
            // DynamoDB failing: API Gateway answers with its authorizer-failure response
            log(context, LogLevel.ERROR, ERROR_OUTCOME, null, 0, start, usage);
            throw e;
        }
        if (!decision.authenticated()) {
            log(context, LogLevel.INFO, "unauthenticated", null, decision.allowed().size(), start, usage);
            throw new Unauthorized(decision.reason());
        }
        log(context, LogLevel.INFO, "authenticated", decision.principal().name(), decision.allowed().size(), start,
                usage);
        Json.write(AuthorizerPolicy.build(decision, String.valueOf(event.get("methodArn"))), output);
    }

    /** The answer's log line, with its metrics (Outcome: authenticated, unauthenticated or error). */
    private void log(Context context, LogLevel level, String outcome, String principal, int routes, long start,
            DynamoDbUsage usage) {
        DynamoDbUsage.Totals used = usage.end();
        Map<String, Object> line = line(outcome, principal, routes);
        // built without a context too (priming), so that the snapshot holds its classes
        metrics.addAuthorizer(line, outcome, (System.nanoTime() - start) / 1_000_000, used,
                context == null ? null : context.getFunctionName(), context == null ? -1 : ColdStart.takeInitMillis());
        StructuredLog.write(context, level, line);
    }

    /**
     * The header, whatever case the client wrote its name in. More than one value is refused:
     * API Gateway caches on one of them and passes them all, so which one a check read must
     * never matter.
     */
    static String authorizationHeader(Map<String, Object> event) {
        List<String> values = headerValues(event.get("multiValueHeaders"));
        List<String> single = headerValues(event.get("headers"));
        if (values.isEmpty()) {
            values = single;
        } else if (single.size() > 1 || (single.size() == 1 && !values.contains(single.get(0)))) {
            throw new Unauthorized("several Authorization headers");
        }
        if (values.size() > 1) {
            throw new Unauthorized("several Authorization headers");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    private static List<String> headerValues(Object headers) {
        List<String> values = new ArrayList<>();
        if (headers instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!"authorization".equalsIgnoreCase(String.valueOf(entry.getKey())) || entry.getValue() == null) {
                    continue;
                }
                if (entry.getValue() instanceof List<?> list) {
                    list.stream().filter(v -> v != null).forEach(v -> values.add(String.valueOf(v)));
                } else {
                    values.add(String.valueOf(entry.getValue()));
                }
            }
        }
        return values;
    }

    /** The outcome and the principal's name: never the header, the token or its hash. */
    private static Map<String, Object> line(String outcome, String principal, int routes) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("route", "authorizer");
        line.put("outcome", outcome);
        line.put("principal", principal);
        line.put("routes_allowed", routes);
        return line;
    }
}
