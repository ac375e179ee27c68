package io.otpcodes.local.testing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Calls to a running local runtime over real HTTP, as a client of the API makes them. */
public final class ApiCalls {

    private static final String ADMIN_TOKEN = "Admin token: ";

    private ApiCalls() {
    }

    /** A request with the token (if any) and, for a body, the JSON content type; the answer as text. */
    public static HttpResponse<String> send(HttpClient http, String method, String url, String token, String json)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Token " + token);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The admin token the runtime printed on its first start. */
    public static String adminToken(ByteArrayOutputStream printed) {
        return printed.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith(ADMIN_TOKEN))
                .findFirst().orElseThrow().substring(ADMIN_TOKEN.length());
    }

    /** The parameters of a query string ({@code a=1&b=2}, no percent-encoding), in their order. */
    public static Map<String, String> queryParams(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                params.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return params;
    }
}
