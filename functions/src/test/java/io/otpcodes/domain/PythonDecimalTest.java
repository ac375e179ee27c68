package io.otpcodes.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PythonDecimalTest {

    @ParameterizedTest(name = "int(Decimal(\"{0}\")) = {1}")
    @CsvSource(delimiter = '|', value = {
        "7|7",
        "' 7 '|7",
        "+7|7",
        "6.5|6",
        "6.999|6",
        "-6.5|-6",
        "-0.5|0",
        ".5|0",
        "5.|5",
        "1_0|10",
        "1_00|100",
        "1__0|10",
        "_1_|1",
        "2.5e1|25",
        "25E-1|2",
        "1e3|1000",
        "0.0001e4|1",
        "1e-400000000|0",
        "-1e-400000000|0",
        "123456789e-400000000000000000000000|0",
        "1e400|9223372036854775807",
        "-1e400|-9223372036854775808",
        "1e400000000000000000000000|9223372036854775807",
        "9223372036854775807|9223372036854775807",
        "9223372036854775808|9223372036854775807",
        "0000000000000000000000000012|12",
        "۱۲|12",
        "١.٥|1",
    })
    void truncatedLong_readsAsPythonThenTruncatesTowardZero(String text, long expected) {
        assertThat(PythonDecimal.truncatedLong(text)).contains(expected);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "abc", ".", "e5", "1e", "1e+", "1.2.3", "NaN", "nan", "Infinity", "-inf", "sNaN", "1 2",
        "0x10", "1,5", "--1", "1\u00a02", "²"})
    void truncatedLong_refusesWhatDjangoRefuses(String text) {
        assertThat(PythonDecimal.truncatedLong(text)).isEmpty();
    }

    @Test
    void truncatedLong_ofAHugeExponent_costsItsLengthOnly() {
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            PythonDecimal.truncatedLong("1e-" + "9".repeat(1000));
            PythonDecimal.truncatedLong("1e" + "9".repeat(1000));
        }
        // building 10^(10^999) would never end; this is 2,000 reads of 1 KB texts
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
