package io.otpcodes.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DateTimeInputTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "2025-12-30T14:39:10.268800Z|2025-12-30T14:39:10.268800Z",
        "2025-12-30T14:39:10+03:30|2025-12-30T11:09:10Z",
        "2025-12-30T14:39:10-0130|2025-12-30T16:09:10Z",
        "2025-12-30 14:39|2025-12-30T14:39:00Z",
        "2025-12-30T14:39:10,5|2025-12-30T14:39:10.500Z",
        "2025-12-30|2025-12-30T00:00:00Z",
        "2025-12-31T23:30-01:00|2026-01-01T00:30:00Z",
    })
    void parse_readsDjangosFormats(String text, String expected) {
        assertThat(DateTimeInput.parse(text)).contains(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-12-30T", "2025-12-30T14", "2025/12/30", "30-12-2025", "2025-12-30T14:39:10+3:30",
        "2025-12-30T14:39:10+24:00", "2025-12-30T14:60", "0000-01-01T00:00", "2025-12-30T14:39:10ZZ"})
    void parse_refusesTheRest(String text) {
        assertThat(DateTimeInput.parse(text)).isEmpty();
    }
}
