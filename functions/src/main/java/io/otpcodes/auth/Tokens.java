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

    /** A holder as listed: its id (the first characters of its token's hash) and what it may do. */
    public record Listed(String id, ApiToken token) {
    }

    /** How many hex characters of the hash name a token in lists: enough to tell tokens apart. */
    static final int ID_LENGTH = 12;

    /** @return whether the token existed */
    public boolean revoke(String token) {
        return repository.delete(TokenHash.sha256(token.strip()));
    }

    /**
     * Revokes the one token whose id is {@code id} (as {@code list} shows it, or a longer prefix
     * of its hash), for a holder whose token is lost.
     *
     * @return whether there was one
     * @throws IllegalArgumentException when the id names several tokens
     */
    public boolean revokeById(String id) {
        String prefix = id.strip().toLowerCase(java.util.Locale.ROOT);
        List<String> matches = repository.findAll().keySet().stream().filter(hash -> hash.startsWith(prefix)).toList();
        if (prefix.isEmpty() || matches.size() > 1) {
            throw new IllegalArgumentException("the id " + id + " names " + matches.size() + " tokens: give more of it");
        }
        return !matches.isEmpty() && repository.delete(matches.get(0));
    }

    public List<Listed> list() {
        return repository.findAll().entrySet().stream()
                .map(e -> new Listed(e.getKey().substring(0, Math.min(ID_LENGTH, e.getKey().length())), e.getValue()))
                .toList();
    }
}
