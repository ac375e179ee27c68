package io.otpcodes.domain;

import java.util.Optional;
import java.util.regex.Pattern;

/** Iranian mobile numbers, stored in their national {@code 09xxxxxxxxx} form. */
public final class IranianMobileNumber {

    private static final Pattern ACCEPTED = Pattern.compile("(?:\\+98|0098|98|0)?(9[0-9]{9})");

    private IranianMobileNumber() {
    }

    /** The national form of {@code text}, or empty when it is not an Iranian mobile number. */
    public static Optional<String> normalize(String text) {
        var matcher = ACCEPTED.matcher(asciiDigits(text));
        return matcher.matches() ? Optional.of("0" + matcher.group(1)) : Optional.empty();
    }

    /** Persian (U+06F0..) and Arabic-Indic (U+0660..) digits as ASCII; anything else unchanged. */
    static String asciiDigits(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '\u06F0' && c <= '\u06F9') {
                out.append((char) ('0' + (c - '\u06F0')));
            } else if (c >= '\u0660' && c <= '\u0669') {
                out.append((char) ('0' + (c - '\u0660')));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
