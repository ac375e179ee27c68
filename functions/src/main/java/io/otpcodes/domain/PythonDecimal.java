package io.otpcodes.domain;

import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads text as the old service read a number filter on an integer field: Python's
 * {@code Decimal(text)} (blanks around it, a sign, any Unicode decimal digits, underscores
 * anywhere ignored, an exponent; not NaN or an infinity, which Django's DecimalField refuses),
 * then Django's {@code int()} of it for the integer column: truncated toward zero. The result is
 * clamped to the range of a long (beyond every id either way).
 *
 * <p>It costs O(the text's length) whatever the exponent: {@code 1e-400000000} is 0 at once, where
 * building the number would take minutes.
 */
public final class PythonDecimal {

    private static final Pattern DECIMAL = Pattern.compile("([+-]?)(?:(\\d+)(?:\\.(\\d*))?|\\.(\\d+))(?:[eE]([+-]?)(\\d+))?");
    /** Digits of the largest long: a whole part with more is out of its range. */
    private static final int LONG_DIGITS = 19;

    private PythonDecimal() {
    }

    /** The value truncated toward zero and clamped to a long; empty when Python's Decimal or Django would refuse the text. */
    public static Optional<Long> truncatedLong(String text) {
        Optional<String> ascii = ascii(text.strip());
        Matcher m = ascii.isPresent() ? DECIMAL.matcher(ascii.get()) : null;
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        boolean negative = m.group(1).equals("-");
        String whole = m.group(2) != null ? m.group(2) : "";
        String fraction = m.group(3) != null ? m.group(3) : m.group(4) != null ? m.group(4) : "";
        String digits = stripLeadingZeros(whole + fraction);
        if (digits.isEmpty()) {
            return Optional.of(0L);
        }
        // value = digits x 10^shift, shift = exponent - fraction's length
        long exponent = exponent(m.group(5), m.group(6));
        long shift = exponent - fraction.length();
        long wholeDigits = digits.length() + shift;
        if (wholeDigits <= 0) {
            return Optional.of(0L);
        }
        if (wholeDigits > LONG_DIGITS) {
            return Optional.of(negative ? Long.MIN_VALUE : Long.MAX_VALUE);
        }
        BigInteger value = shift >= 0 ? new BigInteger(digits).multiply(BigInteger.TEN.pow((int) shift))
                : new BigInteger(digits.substring(0, (int) wholeDigits));
        if (negative) {
            value = value.negate();
        }
        return Optional.of(value.max(BigInteger.valueOf(Long.MIN_VALUE)).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue());
    }

    /**
     * What CPython's decimal module reads: underscores dropped, other Unicode decimal digits as
     * ASCII ones; empty when any other character is not ASCII.
     */
    private static Optional<String> ascii(String text) {
        StringBuilder ascii = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == '_') {
                continue;
            }
            if (c < 128) {
                ascii.append((char) c);
                continue;
            }
            if (Character.getType(c) != Character.DECIMAL_DIGIT_NUMBER) {
                return Optional.empty();
            }
            ascii.append((char) ('0' + Character.digit(c, 10)));
        }
        return Optional.of(ascii.toString());
    }

    /** The exponent, clamped far beyond any shift that still leaves a long (so it never overflows). */
    private static long exponent(String sign, String digits) {
        if (digits == null) {
            return 0;
        }
        String significant = stripLeadingZeros(digits);
        long magnitude = significant.length() > 15 ? 1_000_000_000_000_000L : significant.isEmpty() ? 0 : Long.parseLong(significant);
        return sign.equals("-") ? -magnitude : magnitude;
    }

    private static String stripLeadingZeros(String digits) {
        int start = 0;
        while (start < digits.length() && digits.charAt(start) == '0') {
            start++;
        }
        return digits.substring(start);
    }
}
