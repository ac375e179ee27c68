package io.otpcodes.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DRF's SearchFilter: terms split on blanks and commas (Django's smart_split), a quoted phrase
 * kept whole; every term must be found, case-insensitively, in the code (as decimal text), the
 * mobile number or the e-mail.
 */
public final class SearchTerms {

    public static final SearchTerms NONE = new SearchTerms(List.of());

    /**
     * Django's smart_split: runs of non-blanks, where quoted parts may hold blanks. Blanks are
     * Unicode's, as in Python's {@code \s} on text (a no-break space or an ideographic space
     * splits too). In a holder: compiled at the first search, not at every function's cold start
     * (Unicode classes load Unicode tables).
     */
    private static final class SmartSplit {
        static final Pattern PATTERN = Pattern.compile(
                "((?:[^\\s'\"]*(?:(?:\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*')[^\\s'\"]*)+)|\\S+)",
                Pattern.UNICODE_CHARACTER_CLASS);
    }

    private final List<String> terms;

    private SearchTerms(List<String> terms) {
        this.terms = terms;
    }

    /** @throws InvalidSearchException when the value holds a NUL character */
    public static SearchTerms parse(String value) {
        if (value == null) {
            return NONE;
        }
        if (value.indexOf('\0') >= 0) {
            throw new InvalidSearchException();
        }
        List<String> terms = new ArrayList<>();
        Matcher matcher = SmartSplit.PATTERN.matcher(value);
        while (matcher.find()) {
            String term = stripCommas(matcher.group());
            // a lone quote is a quoted phrase too: Django unescapes it to an empty term, found in every code
            if (!term.isEmpty() && (term.charAt(0) == '"' || term.charAt(0) == '\'')
                    && term.charAt(0) == term.charAt(term.length() - 1)) {
                terms.add(unescape(term));
            } else {
                for (String sub : term.split(",")) {
                    if (!sub.isEmpty()) {
                        terms.add(sub.strip());
                    }
                }
            }
        }
        List<String> folded = new ArrayList<>(terms.size());
        for (String term : terms) {
            folded.add(fold(term));
        }
        return new SearchTerms(List.copyOf(folded));
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    public List<String> terms() {
        return terms;
    }

    public boolean matches(OtpCode code) {
        String codeText = Integer.toString(code.code());
        String mobile = code.mobileNumber() == null ? null : fold(code.mobileNumber());
        String email = code.email() == null ? null : fold(code.email());
        for (String term : terms) {
            boolean found = codeText.contains(term)
                    || (mobile != null && mobile.contains(term))
                    || (email != null && email.contains(term));
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /**
     * Case folding as PostgreSQL's UPPER() in the old service's icontains: one character at a
     * time, so "ß" stays "ß" (String.toUpperCase makes it "SS", and "ﬁ" "FI").
     */
    static String fold(String text) {
        StringBuilder upper = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            upper.appendCodePoint(Character.toUpperCase(c));
            i += Character.charCount(c);
        }
        return upper.toString();
    }

    private static String stripCommas(String term) {
        int start = 0;
        int end = term.length();
        while (start < end && term.charAt(start) == ',') {
            start++;
        }
        while (end > start && term.charAt(end - 1) == ',') {
            end--;
        }
        return term.substring(start, end);
    }

    /** Django's unescape_string_literal: drop the quotes, undo backslash escapes of them. */
    private static String unescape(String quoted) {
        char quote = quoted.charAt(0);
        if (quoted.length() == 1) {
            return "";
        }
        return quoted.substring(1, quoted.length() - 1)
                .replace("\\" + quote, String.valueOf(quote))
                .replace("\\\\", "\\");
    }
}
