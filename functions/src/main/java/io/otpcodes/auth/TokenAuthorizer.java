package io.otpcodes.auth;

import io.otpcodes.domain.Messages;
import java.util.Optional;

/** Header to token hash to token holder to decision: the authorizer's one path. */
public final class TokenAuthorizer {

    private final TokenRepository tokens;

    public TokenAuthorizer(TokenRepository tokens) {
        this.tokens = tokens;
    }

    public AuthorizerDecision authorize(String authorizationHeader) {
        TokenHeader header = TokenHeader.parse(authorizationHeader);
        if (header.kind() != TokenHeader.Kind.TOKEN) {
            return AuthorizerDecision.unauthenticated(header.message());
        }
        // One lookup whatever the key looks like, so a well-formed key costs what any other does.
        Optional<ApiToken> token = tokens.findByHash(TokenHash.sha256(header.key()));
        if (token.isEmpty()) {
            return AuthorizerDecision.unauthenticated(Messages.INVALID_TOKEN);
        }
        if (!token.get().active()) {
            return AuthorizerDecision.unauthenticated(Messages.INACTIVE_USER);
        }
        return AuthorizerDecision.of(token.get());
    }
}
