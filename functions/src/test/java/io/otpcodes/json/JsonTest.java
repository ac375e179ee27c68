package io.otpcodes.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void parse_keepsKeyOrder_theLastDuplicate_andTellsIntegersFromFloats() {
        Object parsed = Json.parse("{\"b\": 1, \"a\": 2.0, \"b\": 3, \"c\": 123456789012345678901234567890}");

        assertThat(parsed).isEqualTo(Map.of("a", new Json.JsonFloat("2.0"), "b", 3L,
                "c", new BigInteger("123456789012345678901234567890")));
        assertThat(List.copyOf(((Map<?, ?>) parsed).keySet())).isEqualTo(List.of("b", "a", "c"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1,]", "{} {}", "'a'", "{\"a\": tru}"})
    void parse_refusesWhatIsNotOneJsonDocument(String text) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(JsonParseException.class).hasMessageContaining("line");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"code\": NaN}        | NaN",
        "{\"code\": Infinity}   | Infinity",
        "[-Infinity]            | -Infinity"})
    void parse_refusesNonNumericConstants_inDrfsWords(String text, String constant) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(JsonParseException.class)
                .hasMessage("Out of range float values are not JSON compliant: '" + constant + "'");
    }

    /** Whatever the complaint, it never names the parser or its settings. */
    @ParameterizedTest
    @ValueSource(strings = {"{\"a\": 1", "{\"a\": [1, 2", "{\"a\": NaN}", "{'a': 1}", "[1,]",
        "{\"a\": 1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
            + "11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
            + "11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
            + "11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
            + "11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
            + "11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
            + "11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
            + "11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
            + "11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
            + "111111111111111111111111111111111111111111111111111111111111111111}"})
    void parse_errors_neverNameTheParsersSettings(String text) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(JsonParseException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("`").doesNotContainIgnoringCase("jackson")
                        .doesNotContain("Feature").doesNotContain("Constraints").doesNotContain("REDACTED"));
    }

    @Test
    void parse_refusesNestingPastItsLimit() {
        assertThatThrownBy(() -> Json.parse("[".repeat(600) + "]".repeat(600))).isInstanceOf(JsonParseException.class)
                .hasMessage("maximum recursion depth exceeded while decoding a JSON document");
    }

    @Test
    void write_isCompactAndKeepsTextAsIs() {
        assertThat(Json.write(Map.of("k", List.of(1, "é", true)))).isEqualTo("{\"k\":[1,\"é\",true]}");
    }

    @Test
    void pythonTypeName_namesParsedValuesAsPythonDoes() {
        assertThat(List.of(Json.pythonTypeName(Json.parse("[]")), Json.pythonTypeName(Json.parse("\"s\"")),
                Json.pythonTypeName(Json.parse("1")), Json.pythonTypeName(Json.parse("1.5")), Json.pythonTypeName(Json.parse("true"))))
                .containsExactly("list", "str", "int", "float", "bool");
    }
}
