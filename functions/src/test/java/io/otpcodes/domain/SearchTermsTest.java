package io.otpcodes.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @Test
    void parse_withANul_isRefused() {
        assertThatThrownBy(() -> SearchTerms.parse("a\u0000")).isInstanceOf(InvalidSearchException.class);
    }
}
