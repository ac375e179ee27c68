package io.otpcodes.domain;

import java.net.IDN;
import java.util.regex.Pattern;

/** Django's {@code EmailValidator}, rule for rule, so that the same addresses pass. */
public final class EmailAddress {

    public static final int MAX_LENGTH = 254;

    private static final int MAX_VALIDATED_LENGTH = 320;

    private static final Pattern USER = Pattern.compile(
            "[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(?:\\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*"
                    + "|\"(?:[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f!#-\\[\\]-\\x7f]|\\\\[\\x01-\\x09\\x0b\\x0c\\x0e-\\x7f])*\"",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\\.)+[A-Z0-9-]{2,63}(?<!-)",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern LITERAL = Pattern.compile("\\[([A-F0-9:.]+)\\]", Pattern.CASE_INSENSITIVE);

    private EmailAddress() {
    }

    public static boolean isValid(String value) {
        if (value.isEmpty() || value.indexOf('@') < 0 || value.length() > MAX_VALIDATED_LENGTH) {
            return false;
        }
        int at = value.lastIndexOf('@');
        String user = value.substring(0, at);
        String domain = value.substring(at + 1);
        if (!USER.matcher(user).matches()) {
            return false;
        }
        if (domain.equals("localhost") || isValidDomain(domain)) {
            return true;
        }
        try {
            return isValidDomain(IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isValidDomain(String domain) {
        if (DOMAIN.matcher(domain).matches()) {
            return true;
        }
        var literal = LITERAL.matcher(domain);
        return literal.matches() && isIpAddress(literal.group(1));
    }

    private static boolean isIpAddress(String text) {
        return text.contains(":") ? isIpv6(text) : isIpv4(text);
    }

    private static boolean isIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || (part.length() > 1 && part.charAt(0) == '0') || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String text) {
        String[] halves = text.split("::", -1);
        if (halves.length > 2) {
            return false;
        }
        int groups = 0;
        for (String half : halves) {
            if (half.isEmpty()) {
                continue;
            }
            String[] parts = half.split(":", -1);
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i];
                if (i == parts.length - 1 && half == halves[halves.length - 1] && part.contains(".")) {
                    if (!isIpv4(part)) {
                        return false;
                    }
                    groups += 2;
                } else if (part.isEmpty() || part.length() > 4 || !part.matches("[0-9A-Fa-f]+")) {
                    return false;
                } else {
                    groups++;
                }
            }
        }
        return halves.length == 2 ? groups < 8 : groups == 8;
    }
}
