package io.otpcodes.auth;

/** The permission codes of the old service; a staff token needs the route's code. */
public enum Permission {
    CREATE(2851),
    VIEW(2852),
    UPDATE(2853);

    private final int code;

    Permission(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Permission ofCode(int code) {
        for (Permission p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        throw new IllegalArgumentException("Unknown permission code " + code);
    }
}
