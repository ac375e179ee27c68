package io.otpcodes.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.json.Json;
import io.otpcodes.local.testing.ApiCalls;
import io.otpcodes.local.testing.LocalDynamoDb;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that misbehave on the wire: the local API keeps answering, and always in JSON (with
 * the JDK's server, 32 stalled clients froze it, and bad requests got HTML naming exceptions).
 */
class LocalHttpServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static LocalRuntime runtime;
    private static String adminToken;

    @BeforeAll
    static void start() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        runtime = LocalRuntime.start(new LocalRuntime.Options(LocalDynamoDb.freePort(), 0, LocalDynamoDb.freePort(), null,
                Map.of(), 0), new PrintStream(printed, true, StandardCharsets.UTF_8));
        adminToken = ApiCalls.adminToken(printed);
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
    }

    /** Sends raw bytes and reads the whole answer (the server closes after an error). */
    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), runtime.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void stalledClients_neverFreezeTheApi_andAreDroppedAfterTheIdleTimeout() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 3 * LocalRuntime.API_THREADS; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), runtime.port());
                OutputStream out = socket.getOutputStream();
                out.write("GET /api/notifications/otp/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthoriz".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                stalled.add(socket);
            }

            long start = System.nanoTime();
            HttpResponse<String> answered = ApiCalls.send(HTTP, "GET", runtime.apiUrl(), adminToken, null);
            assertThat(answered.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

            Socket first = stalled.get(0);
            first.setSoTimeout((int) LocalHttpServer.IDLE_TIMEOUT.plusSeconds(10).toMillis());
            InputStream in = first.getInputStream();
            long waited = System.nanoTime();
            try {
                in.readAllBytes();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("a stalled connection was still open after the idle timeout", e);
            } catch (IOException closed) {
                // reset by the server: dropped as well
            }
            assertThat(Duration.ofNanos(System.nanoTime() - waited)).isLessThan(LocalHttpServer.IDLE_TIMEOUT.plusSeconds(5));
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    @Test
    void headersOverApiGatewaysLimit_are431InJson() throws Exception {
        String answer = raw("GET /api/notifications/otp/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                + "a".repeat(LocalHttpServer.MAX_HEADER_BYTES + 100) + "\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 431").contains("Content-Type: application/json");
        assertThat(Json.parse(answer.substring(answer.indexOf("\r\n\r\n") + 4)))
                .isEqualTo(Map.of("detail", "Request header fields are too large."));
    }

    @Test
    void aRequestThatIsNotHttp_isA400InJson() throws Exception {
        String answer = raw("THIS IS NOT HTTP\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400").contains("application/json");
        assertThat(Json.parse(answer.substring(answer.indexOf("\r\n\r\n") + 4))).isEqualTo(Map.of("detail", "Malformed request."));
    }

    @Test
    void malformedPercentEscapes_inAPath_are400InJson_andInAQuery_areReadAsDjangoReadsThem() throws Exception {
        for (String target : List.of("/api/notifications/otp/%ZZ/", "/api/%G")) {
            String answer = get(target);
            assertThat(answer).as(target).startsWith("HTTP/1.1 400").contains("Content-Type: application/json");
            assertThat(Json.parse(answer.substring(answer.indexOf("\r\n\r\n") + 4))).as(target)
                    .isEqualTo(Map.of("detail", "Malformed request."));
        }
        // Django leaves an escape it cannot read as written: a search for "%ZZ" that matches nothing
        String query = get("/api/notifications/otp/?search=%ZZ");
        assertThat(query).startsWith("HTTP/1.1 200");
        assertThat(Json.parse(query.substring(query.indexOf("\r\n\r\n") + 4)))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("count", 0L);
    }

    private static String get(String target) throws IOException {
        return raw("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token " + adminToken
                + "\r\nConnection: close\r\n\r\n");
    }

    @Test
    void lenientUri_keepsValidEscapes_andEscapesTheRest() {
        assertThat(LocalHttpServer.lenientUri("/a/%41%zz/?q=%ZZ&r=é x").getRawPath()).isEqualTo("/a/%41%25zz/");
        assertThat(LocalHttpServer.lenientUri("/a/%41%zz/?q=%ZZ&r=é x").getRawQuery()).isEqualTo("q=%25ZZ&r=%C3%A9%20x");
        assertThat(LocalHttpServer.lenientUri("/plain/?a=1").toString()).isEqualTo("/plain/?a=1");
    }
}
