package io.otpcodes.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a partial update must find stored to leave exactly one recipient. */
class RecipientRulesTest {

    @ParameterizedTest(name = "PATCH {0} requires {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"code\": 1}|NONE",
        "{\"mobile_number\": \"09123456789\"}|NO_EMAIL",
        "{\"mobile_number\": null}|HAS_EMAIL",
        "{\"email\": \"a@b.ir\"}|NO_MOBILE_NUMBER",
        "{\"email\": \"\"}|HAS_MOBILE_NUMBER",
        "{\"mobile_number\": null, \"email\": \"a@b.ir\"}|NONE",
    })
    void patch_requirement(String body, RecipientRequirement expected) {
        OtpCodeInput input = OtpCodeInput.parse(object(body), WriteMode.PATCH);

        assertThat(input.recipientRequirement()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} is refused on its own")
    @CsvSource(delimiter = '|', value = {
        "PATCH|{\"mobile_number\": \"09123456789\", \"email\": \"a@b.ir\"}",
        "PATCH|{\"mobile_number\": null, \"email\": null}",
        "REPLACE|{\"code\": 1}",
    })
    void recipients_settledByTheBodyAlone_areJudgedWithoutTheStore(WriteMode mode, String body) {
        OtpCodeInput input = OtpCodeInput.parse(object(body), mode);

        assertThatThrownBy(input::recipientRequirement).isInstanceOf(ValidationException.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String json) {
        return new HashMap<>((Map<String, Object>) io.otpcodes.json.Json.parse(json));
    }
}
