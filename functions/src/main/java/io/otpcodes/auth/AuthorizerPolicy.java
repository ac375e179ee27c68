package io.otpcodes.auth;

import io.otpcodes.api.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The IAM policy a REQUEST authorizer returns. It names every route the principal may call,
 * built from the incoming methodArn's API and stage, not only the one asked for, because API Gateway caches the
 * answer per token and replays it for whatever route the same token calls next.
 */
public final class AuthorizerPolicy {

    private AuthorizerPolicy() {
    }

    /** {@code arn:aws:execute-api:region:account:api-id/stage} of a methodArn. */
    public static String apiStageArn(String methodArn) {
        String[] parts = methodArn.split("/", 3);
        if (parts.length < 2) {
            throw new IllegalArgumentException("not a method ARN");
        }
        return parts[0] + "/" + parts[1];
    }

    /**
     * The resource ARNs of a route: a collection with and without its trailing slash; an item
     * path with any id (API Gateway's ARN wildcard matches across slashes).
     */
    public static List<String> resources(String apiStageArn, Route route) {
        String path = route.resource().substring(1);
        String method = route.method().equals("ANY") ? "*" : route.method();
        List<String> arns = new ArrayList<>();
        if (path.endsWith("{" + Route.ID_PARAMETER + "}")) {
            arns.add(apiStageArn + "/" + method + "/" + path.substring(0, path.lastIndexOf('{')) + "*");
        } else {
            arns.add(apiStageArn + "/" + method + "/" + path);
            arns.add(apiStageArn + "/" + method + "/" + path + "/");
        }
        return arns;
    }

    /**
     * Allows exactly the routes the principal may call; everything else is denied implicitly
     * (an explicit Deny would also override the Allow of an overlapping ANY fallback route).
     * A principal with no routes gets an explicit Deny of the whole stage.
     */
    public static Map<String, Object> build(AuthorizerDecision decision, String methodArn) {
        String apiStage = apiStageArn(methodArn);
        List<String> allowed = new ArrayList<>();
        for (Route route : Route.values()) {
            if (decision.allowed().contains(route)) {
                allowed.addAll(resources(apiStage, route));
            }
        }
        List<Object> statements = new ArrayList<>();
        statements.add(allowed.isEmpty() ? statement("Deny", List.of(apiStage + "/*")) : statement("Allow", allowed));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("Version", "2012-10-17");
        document.put("Statement", statements);

        ApiToken principal = decision.principal();
        StringJoiner codes = new StringJoiner(",");
        for (Permission permission : Permission.values()) {
            if (principal.permissions().contains(permission)) {
                codes.add(Integer.toString(permission.code()));
            }
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("name", principal.name());
        context.put("permissions", codes.toString());
        context.put("admin", principal.admin());
        context.put("staff", principal.staff());

        Map<String, Object> response = new LinkedHashMap<>();
        response.put("principalId", principal.name());
        response.put("policyDocument", document);
        response.put("context", context);
        return response;
    }

    private static Map<String, Object> statement(String effect, List<String> resources) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Action", "execute-api:Invoke");
        statement.put("Effect", effect);
        statement.put("Resource", resources);
        return statement;
    }
}
