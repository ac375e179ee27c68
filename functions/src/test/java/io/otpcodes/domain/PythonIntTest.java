package io.otpcodes.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PythonIntTest {

    @ParameterizedTest(name = "int(''{0}'') == {1}")
    @CsvSource(delimiter = '|', value = {
        "42|42", "' 42 '|42", "+42|42", "-42|-42", "007|7", "1_000|1000", "۴۲|42", "٤٢|42", "'\t5\n'|5",
        "123456789012345678901234567890|123456789012345678901234567890",
    })
    void parse_acceptsWhatPythonsIntAccepts(String text, String value) {
        assertThat(PythonInt.parse(text)).contains(new BigInteger(value));
    }

    @ParameterizedTest(name = "int(''{0}'') fails")
    @ValueSource(strings = {"", " ", "+", "-", "4.2", "1e3", "0x10", "_1", "1_", "1__0", "abc", "4 2", "++1"})
    void parse_refusesWhatPythonsIntRefuses(String text) {
        assertThat(PythonInt.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "-9223372036854775809"})
    void parseLong_isEmptyOutsideLongRange(String text) {
        assertThat(PythonInt.parseLong(text)).isEmpty();
    }
}
