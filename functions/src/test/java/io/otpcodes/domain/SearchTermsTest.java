package io.otpcodes.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SearchTermsTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
        "a b|A,B",
        "a,b|A,B",
        "' a ,, b '|A,B",
        "\"a b\" c|A B,C",
        "'\"a b\",'|A B",
        "x'y z'|X'Y Z'",
    })
    void parse_splitsAsDjangosSmartSplit(String value, String terms) {
        assertThat(SearchTerms.parse(value).terms()).isEqualTo(List.of(terms.split(",")));
    }

    @Test
    void parse_ofBlanks_isNoSearch() {
        assertThat(SearchTerms.parse("  , ").isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"\"", "'", "\",", ",'"})
    void parse_ofALoneQuote_isAnEmptyTerm_foundInEveryCode(String value) {
        SearchTerms search = SearchTerms.parse(value);

        assertThat(search.terms()).containsExactly("");
        assertThat(search.matches(code(123456, "09121234567", null))).isTrue();
        assertThat(search.matches(code(1, null, "x@y.z"))).isTrue();
    }

    @Test
    void parse_ofATermAndALoneQuote_keepsBoth() {
        assertThat(SearchTerms.parse("a \"").terms()).containsExactly("A", "");
    }

    @Test
    void parse_splitsOnUnicodeBlanks_asPythonsSplit() {
        assertThat(SearchTerms.parse("a\u00a0b\u3000c\u2003d").terms()).containsExactly("A", "B", "C", "D");
    }

    @Test
    void matches_foldsCaseOneCharacterAtATime_asPostgresUpper() {
        // String.toUpperCase turns "ß" into "SS", and would find "strasse" with "straße"
        assertThat(SearchTerms.parse("straße").matches(code(1, null, "strasse@example.com"))).isFalse();
        assertThat(SearchTerms.parse("STRAßE").matches(code(1, null, "straße@example.com"))).isTrue();
        assertThat(SearchTerms.parse("ss").matches(code(1, null, "straße@example.com"))).isFalse();
    }

    private static OtpCode code(int code, String mobile, String email) {
        java.time.Instant at = java.time.Instant.parse("2025-01-01T00:00:00Z");
        return new OtpCode(1, code, mobile, email, at, at, at);
    }

    @Test
    void parse_withANul_isRefused() {
        assertThatThrownBy(() -> SearchTerms.parse("a\u0000")).isInstanceOf(InvalidSearchException.class);
    }
}
