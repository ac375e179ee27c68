package io.otpcodes.auth;

/** The token table, keyed by the SHA-256 (hex) of the token; the token itself is never stored. */
public final class TokenTableSchema {

    public static final String TOKEN_HASH = "token_hash";
    public static final String NAME = "name";
    public static final String IS_ACTIVE = "is_active";
    public static final String IS_STAFF = "is_staff";
    public static final String IS_ADMIN = "is_admin";
    /** A number set; absent when the holder has no codes. */
    public static final String PERMISSIONS = "permissions";
    public static final String CREATED_AT = "created_at";

    private TokenTableSchema() {
    }
}
