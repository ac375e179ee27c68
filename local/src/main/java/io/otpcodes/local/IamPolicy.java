package io.otpcodes.local;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Judges an authorizer's policy document against a method ARN as API Gateway does for
 * {@code execute-api:Invoke}: an explicit Deny wins, then an Allow, and nothing else is allowed.
 * In resource ARNs {@code *} matches any run of characters (slashes too) and {@code ?} one.
 */
public final class IamPolicy {

    private IamPolicy() {
    }

    public static boolean allows(Map<String, Object> policyDocument, String methodArn) {
        boolean allowed = false;
        for (Object s : list(policyDocument.get("Statement"))) {
            Map<String, Object> statement = SamTemplate.map(s);
            if (!matchesAny(statement.get("Action"), "execute-api:Invoke") || !matchesAny(statement.get("Resource"), methodArn)) {
                continue;
            }
            if ("Deny".equals(statement.get("Effect"))) {
                return false;
            }
            if ("Allow".equals(statement.get("Effect"))) {
                allowed = true;
            }
        }
        return allowed;
    }

    private static boolean matchesAny(Object patterns, String value) {
        for (Object pattern : list(patterns)) {
            if (wildcard(String.valueOf(pattern)).matcher(value).matches()) {
                return true;
            }
        }
        return false;
    }

    private static Pattern wildcard(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static List<Object> list(Object value) {
        return value instanceof List ? SamTemplate.list(value) : value == null ? List.of() : List.of(value);
    }
}
