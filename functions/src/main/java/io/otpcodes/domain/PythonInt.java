package io.otpcodes.domain;

import java.math.BigInteger;
import java.util.Optional;

/**
 * Reads text as Python's {@code int(text)} does, since the old service parsed integers with it:
 * surrounding white space, a sign, any Unicode decimal digits (Persian, Arabic-Indic, ...) and
 * single underscores between digits.
 */
public final class PythonInt {

    private PythonInt() {
    }

    public static Optional<BigInteger> parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            return Optional.empty();
        }
        boolean negative = false;
        int start = 0;
        char first = s.charAt(0);
        if (first == '+' || first == '-') {
            negative = first == '-';
            start = 1;
        }
        if (start >= s.length()) {
            return Optional.empty();
        }
        StringBuilder digits = new StringBuilder(s.length());
        boolean previousWasDigit = false;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_') {
                if (!previousWasDigit || i == s.length() - 1) {
                    return Optional.empty();
                }
                previousWasDigit = false;
                continue;
            }
            int digit = Character.getType(c) == Character.DECIMAL_DIGIT_NUMBER ? Character.digit(c, 10) : -1;
            if (digit < 0) {
                return Optional.empty();
            }
            digits.append((char) ('0' + digit));
            previousWasDigit = true;
        }
        BigInteger value = new BigInteger(digits.toString());
        return Optional.of(negative ? value.negate() : value);
    }

    /** The value as a long when the text is an integer within long range. */
    public static Optional<Long> parseLong(String text) {
        return parse(text).filter(v -> v.bitLength() < 64).map(BigInteger::longValue);
    }
}
