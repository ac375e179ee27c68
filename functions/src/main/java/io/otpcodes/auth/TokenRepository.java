package io.otpcodes.auth;

import java.util.List;
import java.util.Optional;

/** Token holders by the hash of their token. */
public interface TokenRepository {

    Optional<ApiToken> findByHash(String tokenHash);

    void save(String tokenHash, ApiToken token);

    /** @return whether a token was there to revoke */
    boolean delete(String tokenHash);

    /** Every holder, for listing: names and permissions, never hashes. */
    List<ApiToken> findAll();
}
