package io.otpcodes.auth;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/** Issuing, revoking and listing API tokens. The raw token is returned once and never kept. */
public final class Tokens {

    private final TokenRepository repository;
    private final Clock clock;

    public Tokens(TokenRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** @return the new token, to be handed to its holder; only its hash is stored */
    public String issue(String name, boolean admin, boolean staff, Set<Permission> permissions) {
        String token = TokenHash.newToken();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        repository.save(TokenHash.sha256(token), new ApiToken(name, true, staff, admin, permissions, now));
        return token;
    }

    /** @return whether the token existed */
    public boolean revoke(String token) {
        return repository.delete(TokenHash.sha256(token.strip()));
    }

    public List<ApiToken> list() {
        return repository.findAll();
    }
}
