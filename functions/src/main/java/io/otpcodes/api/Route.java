package io.otpcodes.api;

import io.otpcodes.auth.Permission;
import java.util.ArrayList;
import java.util.List;

/**
 * The API's routes, each with its permission code and the function that serves it: the one
 * list of them. template.yaml, the authorizer and the local runtime are checked against it.
 * API Gateway serves a path with and without its trailing slash on the same resource.
 */
public enum Route {
    LIST("GET", Route.COLLECTION, Permission.VIEW, Function.LIST),
    CREATE("POST", Route.COLLECTION, Permission.CREATE, Function.CREATE),
    RETRIEVE("GET", Route.ITEM, Permission.VIEW, Function.LIST),
    UPDATE("PUT", Route.ITEM, Permission.UPDATE, Function.UPDATE),
    PARTIAL_UPDATE("PATCH", Route.ITEM, Permission.UPDATE, Function.UPDATE),
    /**
     * Any other method on the two paths reaches a function, which answers DRF's 405 with its
     * Allow header, instead of API Gateway's "Missing Authentication Token". Only admins pass
     * the authorizer on these (others get 403, as the old permission class gave them).
     */
    OTHER_METHOD_ON_COLLECTION(Route.ANY, Route.COLLECTION, null, Function.LIST),
    OTHER_METHOD_ON_ITEM(Route.ANY, Route.ITEM, null, Function.LIST);

    public static final String COLLECTION = "/api/notifications/otp";
    public static final String ITEM = "/api/notifications/otp/{id}";
    public static final String ID_PARAMETER = "id";
    /** API Gateway's method for "every method not routed otherwise". */
    public static final String ANY = "ANY";

    /** The functions of template.yaml, by logical id and handler class. */
    public enum Function {
        LIST("ListOtpCodesFunction", "io.otpcodes.handler.ListOtpCodesHandler"),
        CREATE("CreateOtpCodeFunction", "io.otpcodes.handler.CreateOtpCodeHandler"),
        UPDATE("UpdateOtpCodeFunction", "io.otpcodes.handler.UpdateOtpCodeHandler");

        private final String logicalId;
        private final String handlerClass;

        Function(String logicalId, String handlerClass) {
            this.logicalId = logicalId;
            this.handlerClass = handlerClass;
        }

        public String logicalId() {
            return logicalId;
        }

        public String handlerClass() {
            return handlerClass;
        }
    }

    private final String method;
    private final String resource;
    private final Permission permission;
    private final Function function;

    Route(String method, String resource, Permission permission, Function function) {
        this.method = method;
        this.resource = resource;
        this.permission = permission;
        this.function = function;
    }

    public String method() {
        return method;
    }

    public String resource() {
        return resource;
    }

    public Function function() {
        return function;
    }

    /** The permission a staff holder needs; null where only an admin passes. */
    public Permission permission() {
        return permission;
    }

    /** The Allow header of a resource: the methods it serves, in DRF's order. */
    public static String allowHeader(String resource) {
        List<String> methods = new ArrayList<>();
        for (Route route : values()) {
            if (route.resource.equals(resource) && !route.method.equals(ANY)) {
                methods.add(route.method);
            }
        }
        return String.join(", ", methods);
    }
}
