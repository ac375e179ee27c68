package io.otpcodes.auth;

import io.otpcodes.api.Route;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the authorizer answers: unauthenticated (401, with DRF's reason for logs and for the
 * local runtime), or a principal with the routes it may call (the others are denied: 403).
 */
public record AuthorizerDecision(boolean authenticated, String reason, ApiToken principal, Set<Route> allowed) {

    public static AuthorizerDecision unauthenticated(String reason) {
        return new AuthorizerDecision(false, reason, null, Set.of());
    }

    /** Every route the holder may call: the policy covers them all, since API Gateway caches it per token. */
    public static AuthorizerDecision of(ApiToken principal) {
        Set<Route> allowed = EnumSet.noneOf(Route.class);
        for (Route route : Route.values()) {
            if (route.permission() == null ? principal.admin() : principal.mayUse(route.permission())) {
                allowed.add(route);
            }
        }
        return new AuthorizerDecision(true, null, principal, Set.copyOf(allowed));
    }
}
