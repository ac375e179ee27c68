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
    PARTIAL_UPDATE("PATCH", Route.ITEM, Permission.UPDATE, Function.UPDATE);

    public static final String COLLECTION = "/api/notifications/otp";
    public static final String ITEM = "/api/notifications/otp/{id}";
    public static final String ID_PARAMETER = "id";

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

    public Permission permission() {
        return permission;
    }

    public Function function() {
        return function;
    }

    /** DRF's Allow header for a resource: its methods, then HEAD and OPTIONS as DRF lists them. */
    public static String allowHeader(String resource) {
        List<String> methods = new ArrayList<>();
        for (Route route : values()) {
            if (route.resource.equals(resource)) {
                methods.add(route.method);
            }
        }
        methods.add("HEAD");
        methods.add("OPTIONS");
        return String.join(", ", methods);
    }
}
