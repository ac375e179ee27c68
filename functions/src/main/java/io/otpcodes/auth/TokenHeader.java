package io.otpcodes.auth;

import io.otpcodes.domain.Messages;
import java.util.Locale;

/**
 * DRF's TokenAuthentication reading of {@code Authorization: Token <key>}: the keyword in any
 * case; another scheme or no header is "no credentials"; a header without a key, with spaces
 * in it, or with characters outside ASCII is malformed.
 */
public record TokenHeader(Kind kind, String key, String message) {

    public enum Kind { NO_CREDENTIALS, MALFORMED, TOKEN }

    public static final String KEYWORD = "Token";

    public static TokenHeader parse(String header) {
        if (header == null) {
            return new TokenHeader(Kind.NO_CREDENTIALS, null, Messages.NOT_AUTHENTICATED);
        }
        String[] parts = header.strip().split("\\s+");
        if (parts.length == 0 || parts[0].isEmpty() || !parts[0].toLowerCase(Locale.ROOT).equals(KEYWORD.toLowerCase(Locale.ROOT))) {
            return new TokenHeader(Kind.NO_CREDENTIALS, null, Messages.NOT_AUTHENTICATED);
        }
        if (parts.length == 1) {
            return new TokenHeader(Kind.MALFORMED, null, Messages.INVALID_TOKEN_HEADER_NO_CREDENTIALS);
        }
        if (parts.length > 2) {
            return new TokenHeader(Kind.MALFORMED, null, Messages.INVALID_TOKEN_HEADER_SPACES);
        }
        for (int i = 0; i < parts[1].length(); i++) {
            if (parts[1].charAt(i) > 0x7f) {
                return new TokenHeader(Kind.MALFORMED, null, Messages.INVALID_TOKEN_HEADER_CHARACTERS);
            }
        }
        return new TokenHeader(Kind.TOKEN, parts[1], null);
    }

    @Override
    public String toString() {
        return "TokenHeader[" + kind + "]"; // never the key
    }
}
