package io.otpcodes.auth;

import java.time.Instant;
import java.util.Set;

/** The holder of an API token, as the token table keeps it: never the token itself. */
public record ApiToken(String name, boolean active, boolean staff, boolean admin, Set<Permission> permissions,
        Instant createdAt) {

    public ApiToken {
        permissions = Set.copyOf(permissions);
    }

    /** An admin passes every check; a staff holder passes where it holds the code; no one else passes. */
    public boolean mayUse(Permission permission) {
        return admin || (staff && permissions.contains(permission));
    }
}
