package io.otpcodes.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST API as template.yaml declares it, read the way API Gateway serves it: routes (a path
 * with or without its trailing slash, an explicit method before ANY), the default authorizer
 * with its identity header and cache TTL, the stage, and the gateway responses.
 */
public final class ApiDefinition {

    public static final String API_RESOURCE = "OtpApi";

    private final List<RouteBinding> routes;
    private final String authorizerFunction;
    private final String identityHeader;
    private final int authorizerCacheSeconds;
    private final String stage;
    private final Map<String, Object> gatewayResponses;
    private final Map<String, Duration> functionTimeouts;

    /** One Api event of a function, with the pattern its path matches. */
    public record RouteBinding(String method, String path, String functionLogicalId, Pattern pattern, String parameter) {
    }

    /** A matched route and the path parameter's value, if the path has one. */
    public record Match(RouteBinding route, String parameterValue) {
    }

    private ApiDefinition(List<RouteBinding> routes, String authorizerFunction, String identityHeader,
            int authorizerCacheSeconds, String stage, Map<String, Object> gatewayResponses,
            Map<String, Duration> functionTimeouts) {
        this.routes = routes;
        this.authorizerFunction = authorizerFunction;
        this.identityHeader = identityHeader;
        this.authorizerCacheSeconds = authorizerCacheSeconds;
        this.stage = stage;
        this.gatewayResponses = gatewayResponses;
        this.functionTimeouts = functionTimeouts;
    }

    public static ApiDefinition of(SamTemplate template) {
        List<RouteBinding> routes = new ArrayList<>();
        Map<String, Duration> timeouts = new HashMap<>();
        for (SamTemplate.Function function : template.functions()) {
            for (SamTemplate.ApiEvent event : function.events()) {
                routes.add(binding(event, function.logicalId()));
            }
            Object timeout = template.functionProperty(function.logicalId(), "Timeout");
            timeouts.put(function.logicalId(), Duration.ofSeconds(timeout instanceof Number n ? n.intValue()
                    : LocalContext.DEFAULT_TIMEOUT_SECONDS));
        }
        Map<String, Object> api = template.properties(API_RESOURCE);
        Map<String, Object> auth = SamTemplate.map(api.get("Auth"));
        Map<String, Object> authorizer = SamTemplate.map(SamTemplate.map(auth.get("Authorizers")).get(auth.get("DefaultAuthorizer")));
        String authorizerFunction = functionOf(SamTemplate.map(authorizer.get("FunctionArn")));
        Map<String, Object> identity = SamTemplate.map(authorizer.get("Identity"));
        String header = (String) SamTemplate.list(identity.get("Headers")).get(0);
        return new ApiDefinition(routes, authorizerFunction, header,
                Integer.parseInt(resolve(template, identity.get("ReauthorizeEvery"), "300")),
                resolve(template, api.get("StageName"), "Prod"),
                SamTemplate.map(api.get("GatewayResponses")), Map.copyOf(timeouts));
    }

    /** The function's logical id in {@code !GetAtt Fn.Arn} or {@code !Ref Fn.Alias}. */
    public static String functionOf(Map<String, Object> arn) {
        if (arn.containsKey("Fn::GetAtt")) {
            return (String) SamTemplate.list(arn.get("Fn::GetAtt")).get(0);
        }
        return String.valueOf(arn.get("Ref")).split("\\.")[0];
    }

    private static String resolve(SamTemplate template, Object value, String fallback) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Map) {
            return template.parameterDefault(String.valueOf(SamTemplate.map(value).get("Ref")));
        }
        return String.valueOf(value);
    }

    private static RouteBinding binding(SamTemplate.ApiEvent event, String function) {
        StringBuilder regex = new StringBuilder();
        String parameter = null;
        for (String segment : event.path().substring(1).split("/")) {
            regex.append('/');
            if (segment.startsWith("{") && segment.endsWith("}")) {
                parameter = segment.substring(1, segment.length() - 1);
                regex.append("([^/]+)");
            } else {
                regex.append(Pattern.quote(segment));
            }
        }
        return new RouteBinding(event.method(), event.path(), function, Pattern.compile(regex.toString()), parameter);
    }

    /** The route API Gateway would pick: the path without a trailing slash, an explicit method before ANY. */
    public Match match(String method, String path) {
        String normalized = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        Match any = null;
        for (RouteBinding route : routes) {
            Matcher matcher = route.pattern().matcher(normalized);
            if (!matcher.matches()) {
                continue;
            }
            Match match = new Match(route, route.parameter() == null ? null : matcher.group(1));
            if (route.method().equals(method)) {
                return match;
            }
            if (route.method().equals("ANY")) {
                any = match;
            }
        }
        return any;
    }

    /** The same API with another authorizer cache TTL (0: no cache). */
    public ApiDefinition withAuthorizerCacheSeconds(int seconds) {
        return new ApiDefinition(routes, authorizerFunction, identityHeader, seconds, stage, gatewayResponses,
                functionTimeouts);
    }

    /** The same API with every function's timeout set to {@code timeout} (tests: a short one). */
    public ApiDefinition withFunctionTimeouts(Duration timeout) {
        Map<String, Duration> timeouts = new HashMap<>();
        functionTimeouts.keySet().forEach(function -> timeouts.put(function, timeout));
        return new ApiDefinition(routes, authorizerFunction, identityHeader, authorizerCacheSeconds, stage,
                gatewayResponses, Map.copyOf(timeouts));
    }

    /** A function's {@code Timeout} in the template (its own, else the Globals'): Lambda stops it then. */
    public Duration functionTimeout(String functionLogicalId) {
        return functionTimeouts.getOrDefault(functionLogicalId, Duration.ofSeconds(LocalContext.DEFAULT_TIMEOUT_SECONDS));
    }

    public List<RouteBinding> routes() {
        return routes;
    }

    public String authorizerFunction() {
        return authorizerFunction;
    }

    public String identityHeader() {
        return identityHeader;
    }

    public int authorizerCacheSeconds() {
        return authorizerCacheSeconds;
    }

    public String stage() {
        return stage;
    }

    /** A gateway response of the template: its status (or API Gateway's default) and body. */
    public GatewayResponse gatewayResponse(String type, int defaultStatus, String errorMessage) {
        Map<String, Object> response = SamTemplate.map(gatewayResponses.get(type));
        if (response.isEmpty()) {
            String family = defaultStatus >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX";
            response = SamTemplate.map(gatewayResponses.get(family));
        }
        int status = response.get("StatusCode") instanceof Number ? ((Number) response.get("StatusCode")).intValue()
                : response.get("StatusCode") != null ? Integer.parseInt(String.valueOf(response.get("StatusCode"))) : defaultStatus;
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        SamTemplate.map(SamTemplate.map(response.get("ResponseParameters")).get("Headers"))
                .forEach((name, value) -> headers.put(name, String.valueOf(value).replaceAll("^'|'$", "")));
        String body = (String) SamTemplate.map(response.get("ResponseTemplates")).get("application/json");
        if (body == null) {
            body = "{\"message\": $context.error.messageString}";
        }
        body = body.replace("$context.error.messageString", io.otpcodes.json.Json.write(errorMessage));
        return new GatewayResponse(status, headers, body);
    }

    /** What API Gateway answers by itself. */
    public record GatewayResponse(int status, Map<String, String> headers, String body) {
    }
}
