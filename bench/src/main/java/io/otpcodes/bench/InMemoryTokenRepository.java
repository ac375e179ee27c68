package io.otpcodes.bench;

import io.otpcodes.auth.ApiToken;
import io.otpcodes.auth.TokenRepository;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Token holders in a map, for the benchmark's in-memory runs only. */
public final class InMemoryTokenRepository implements TokenRepository {

    private final Map<String, ApiToken> tokens = new ConcurrentHashMap<>();

    @Override
    public Optional<ApiToken> findByHash(String tokenHash) {
        return Optional.ofNullable(tokens.get(tokenHash));
    }

    @Override
    public void save(String tokenHash, ApiToken token) {
        tokens.put(tokenHash, token);
    }

    @Override
    public boolean delete(String tokenHash) {
        return tokens.remove(tokenHash) != null;
    }

    @Override
    public Map<String, ApiToken> findAll() {
        return new java.util.LinkedHashMap<>(tokens);
    }
}
