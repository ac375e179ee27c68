package io.otpcodes.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.sun.net.httpserver.HttpServer;
import io.otpcodes.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway emulation with functions that misbehave on purpose (unit level: stubs, no store):
 * a failing authorizer is API Gateway's AUTHORIZER_FAILURE, never a pass; a failing function
 * is its 5xx response; a cached policy is reused within the TTL.
 */
class LocalApiGatewayTest {

    private HttpServer server;

    private String serve(Map<String, RequestStreamHandler> functions, int cacheSeconds) throws Exception {
        return serve(ApiDefinition.of(SamTemplate.load()).withAuthorizerCacheSeconds(cacheSeconds), functions);
    }

    private String serve(ApiDefinition api, Map<String, RequestStreamHandler> functions) throws Exception {
        return serve(new LocalApiGateway(api, functions, new PrintStream(new ByteArrayOutputStream())));
    }

    private String serve(LocalApiGateway gateway) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", gateway);
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/notifications/otp/";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Token 0123456789abcdef0123456789abcdef01234567").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static RequestStreamHandler allowAll(AtomicInteger calls) {
        return (in, out, context) -> {
            calls.incrementAndGet();
            out.write(Json.writeBytes(Map.of("principalId", "p", "context", Map.of("name", "p"),
                    "policyDocument", Map.of("Version", "2012-10-17", "Statement", java.util.List.of(Map.of(
                            "Effect", "Allow", "Action", "execute-api:Invoke", "Resource", "*"))))));
        };
    }

    private static RequestStreamHandler ok() {
        return (in, out, context) -> out.write(Json.writeBytes(Map.of("statusCode", 200, "body", "{}")));
    }

    @Test
    void aFailingAuthorizer_isA503_andTheFunctionIsNeverCalled() throws Exception {
        AtomicInteger functionCalls = new AtomicInteger();
        Map<String, RequestStreamHandler> functions = new HashMap<>();
        functions.put("AuthorizerFunction", (in, out, context) -> {
            throw new IllegalStateException("DynamoDB is down");
        });
        functions.put("ListOtpCodesFunction", (in, out, context) -> functionCalls.incrementAndGet());

        HttpResponse<String> response = get(serve(functions, 60));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(Json.parse(response.body())).isEqualTo(Map.of("detail", "Service temporarily unavailable, try again later."));
        assertThat(functionCalls).hasValue(0);
    }

    @Test
    void aFailingFunction_isTheTemplates5xxResponse() throws Exception {
        Map<String, RequestStreamHandler> functions = new HashMap<>();
        functions.put("AuthorizerFunction", allowAll(new AtomicInteger()));
        functions.put("ListOtpCodesFunction", (in, out, context) -> {
            throw new IllegalStateException("bug");
        });

        HttpResponse<String> response = get(serve(functions, 60));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(Json.parse(response.body())).isEqualTo(Map.of("detail", "A server error occurred."));
    }

    @Test
    void aFunctionPastItsTimeout_isAnsweredAtItsTimeout_withTheTemplates5xxResponse() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        ApiDefinition api = ApiDefinition.of(SamTemplate.load()).withFunctionTimeouts(Duration.ofMillis(500));
        String url = serve(api, listBlockedUntil(released));

        long start = System.nanoTime();
        HttpResponse<String> response = get(url);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        released.countDown();

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(Json.parse(response.body())).isEqualTo(Map.of("detail", "A server error occurred."));
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(500)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aFunctionPastApiGatewaysIntegrationTimeout_isA504_atThatTimeout() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        // the function's own timeout (5 s) is longer than the gateway's limit (here 400 ms, on AWS 29 s)
        ApiDefinition api = ApiDefinition.of(SamTemplate.load()).withFunctionTimeouts(Duration.ofSeconds(5));
        String url = serve(new LocalApiGateway(api, listBlockedUntil(released), new PrintStream(new ByteArrayOutputStream()),
                Duration.ofMillis(400)));

        long start = System.nanoTime();
        HttpResponse<String> response = get(url);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        released.countDown();

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(Json.parse(response.body())).isEqualTo(Map.of("detail", "A server error occurred."));
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(400)).isLessThan(Duration.ofSeconds(4));
    }

    /** An authorizer that allows all, and a list that answers only once {@code released} (a costly request: far past any timeout). */
    private static Map<String, RequestStreamHandler> listBlockedUntil(CountDownLatch released) {
        Map<String, RequestStreamHandler> functions = new HashMap<>();
        functions.put("AuthorizerFunction", allowAll(new AtomicInteger()));
        functions.put("ListOtpCodesFunction", (in, out, context) -> {
            try {
                released.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.write(Json.writeBytes(Map.of("statusCode", 200, "body", "{}")));
        });
        return functions;
    }

    @Test
    void theTemplatesTimeouts_areTheFunctions() {
        ApiDefinition api = ApiDefinition.of(SamTemplate.load());

        assertThat(api.functionTimeout("ListOtpCodesFunction")).isEqualTo(Duration.ofSeconds(
                ((Number) SamTemplate.load().functionProperty("ListOtpCodesFunction", "Timeout")).intValue()));
    }

    @Test
    void theAuthorizersAnswer_isCachedPerHeaderForTheTtl_andNotWithoutOne() throws Exception {
        AtomicInteger cached = new AtomicInteger();
        Map<String, RequestStreamHandler> functions = new HashMap<>(Map.of("AuthorizerFunction", allowAll(cached),
                "ListOtpCodesFunction", ok()));
        String url = serve(functions, 60);
        get(url);
        get(url + "1/");
        get(url);
        server.stop(0);

        AtomicInteger uncached = new AtomicInteger();
        functions.put("AuthorizerFunction", allowAll(uncached));
        String again = serve(functions, 0);
        get(again);
        get(again);

        assertThat(cached).hasValue(1);
        assertThat(uncached).hasValue(2);
    }
}
