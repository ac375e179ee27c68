package io.otpcodes.local;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import io.otpcodes.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The local runtime's HTTP server: Jetty (already here for DynamoDB Local) on loopback, with the
 * handlers written against the JDK's {@link HttpExchange}. Jetty reads requests without holding
 * a thread, so clients that stall mid-request cannot freeze the API; they are dropped after
 * {@link #IDLE_TIMEOUT}. Whatever Jetty itself refuses (headers over API Gateway's limit, a
 * request it cannot parse, a malformed percent escape) is answered in the API's JSON, never an
 * HTML page.
 */
final class LocalHttpServer implements AutoCloseable {

    /** API Gateway's limit on the request line and headers together. */
    static final int MAX_HEADER_BYTES = 10_240;
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);

    private final Server server;
    private final ServerConnector connector;

    private LocalHttpServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Binds {@code port} on loopback (0: any free one); requests are answered from {@link #start()}. */
    static LocalHttpServer bind(int port, String name, int maxThreads, HttpHandler handler) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(4, maxThreads));
        threads.setName(name);
        threads.setDaemon(true);
        Server server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setRequestHeaderSize(MAX_HEADER_BYTES);
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        // the request target goes to the handler as sent; API Gateway, not Jetty, decides what it means
        config.setUriCompliance(UriCompliance.UNSAFE);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);
        server.setHandler(new Adapter(handler));
        server.setErrorHandler(new JsonErrors());
        connector.open();
        return new LocalHttpServer(server, connector);
    }

    void start() throws Exception {
        server.start();
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Runs a JDK-style handler on a Jetty request, on one of Jetty's threads (it may block). */
    private static final class Adapter extends Handler.Abstract {
        private final HttpHandler handler;

        Adapter(HttpHandler handler) {
            this.handler = handler;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            JettyExchange exchange = new JettyExchange(request, response);
            try {
                handler.handle(exchange);
                exchange.finish();
                callback.succeeded();
            } catch (Throwable t) {
                callback.failed(t);
            }
            return true;
        }
    }

    /** What Jetty answers itself, in the shape every other answer has. */
    private static final class JsonErrors extends ErrorHandler {
        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, "application/json");
            return ByteBuffer.wrap(body(status));
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                Callback callback) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(body(code)), callback);
        }

        static byte[] body(int status) {
            String detail = switch (status) {
                case 413 -> "Request body is too large.";
                case 414 -> "Request URI is too long.";
                case 431 -> "Request header fields are too large.";
                case 400 -> "Malformed request.";
                default -> status >= 500 ? "A server error occurred." : "Request refused.";
            };
            return Json.writeBytes(Map.of("detail", detail));
        }
    }

    /** A request target as a URI, with what the URI syntax refuses escaped, so that it decodes back to what was sent. */
    static URI lenientUri(String target) {
        try {
            return new URI(target);
        } catch (URISyntaxException e) {
            StringBuilder out = new StringBuilder();
            byte[] bytes = target.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i++) {
                int b = bytes[i] & 0xff;
                boolean escape = b == '%' && isHex(bytes, i + 1) && isHex(bytes, i + 2);
                if (escape || (b > 0x20 && b < 0x7f && "\"<>\\^`{|}%".indexOf(b) < 0)) {
                    out.append((char) b);
                } else {
                    out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
                }
            }
            return URI.create(out.toString());
        }
    }

    private static boolean isHex(byte[] bytes, int i) {
        return i < bytes.length && Character.digit(bytes[i], 16) >= 0;
    }

    /** The JDK's exchange over a Jetty request and response. */
    private static final class JettyExchange extends HttpExchange {
        private final Request request;
        private final Response response;
        private final Headers requestHeaders = new Headers();
        private final Headers responseHeaders = new Headers();
        private final Map<String, Object> attributes = new HashMap<>();
        private final URI uri;
        private InputStream in;
        private OutputStream out;
        private int status = -1;

        JettyExchange(Request request, Response response) {
            this.request = request;
            this.response = response;
            for (HttpField field : request.getHeaders()) {
                requestHeaders.add(field.getName(), field.getValue());
            }
            String path = request.getHttpURI().getPath();
            String query = request.getHttpURI().getQuery();
            this.uri = lenientUri((path == null ? "/" : path) + (query == null ? "" : "?" + query));
        }

        @Override
        public Headers getRequestHeaders() {
            return requestHeaders;
        }

        @Override
        public Headers getResponseHeaders() {
            return responseHeaders;
        }

        @Override
        public URI getRequestURI() {
            return uri;
        }

        @Override
        public String getRequestMethod() {
            return request.getMethod();
        }

        @Override
        public HttpContext getHttpContext() {
            return null;
        }

        @Override
        public void close() {
            try {
                finish();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public InputStream getRequestBody() {
            if (in == null) {
                in = Content.Source.asInputStream(request);
            }
            return in;
        }

        @Override
        public OutputStream getResponseBody() {
            if (out == null) {
                out = Content.Sink.asOutputStream(response);
            }
            return out;
        }

        @Override
        public void sendResponseHeaders(int code, long length) {
            status = code;
            response.setStatus(code);
            responseHeaders.forEach((name, values) -> values.forEach(v -> response.getHeaders().add(name, v)));
            if (length > 0) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
            } else if (length < 0) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
            }
        }

        /** Ends the response: the body as written, or none. */
        void finish() throws IOException {
            if (out != null) {
                out.close();
            }
        }

        @Override
        public InetSocketAddress getRemoteAddress() {
            return null;
        }

        @Override
        public int getResponseCode() {
            return status;
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return null;
        }

        @Override
        public String getProtocol() {
            return request.getConnectionMetaData().getProtocol();
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            attributes.put(name, value);
        }

        @Override
        public void setStreams(InputStream i, OutputStream o) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpPrincipal getPrincipal() {
            return null;
        }
    }
}
