package io.otpcodes.auth;

import java.util.Map;
import java.util.Optional;

/** Token holders by the hash of their token. */
public interface TokenRepository {

    Optional<ApiToken> findByHash(String tokenHash);

    void save(String tokenHash, ApiToken token);

    /** @return whether a token was there to revoke */
    boolean delete(String tokenHash);

    /** Every holder by the hash of its token, for listing and revoking by id (never shown whole). */
    Map<String, ApiToken> findAll();
}
