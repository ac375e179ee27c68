package io.otpcodes.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.api.Route;
import io.otpcodes.domain.ListQuery;
import io.otpcodes.domain.OtpCodeField;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** openapi.yaml against the code: the same routes, permission codes, fields and parameters. */
class OpenApiTest {

    static final Path OPENAPI = Path.of(System.getProperty("basedir", ".")).resolve("../openapi.yaml").normalize();

    private final Map<String, Object> spec;

    OpenApiTest() throws IOException {
        spec = new Yaml().load(Files.readString(OPENAPI));
    }

    private Map<String, Object> paths() {
        return SamTemplate.map(spec.get("paths"));
    }

    @Test
    void operations_areExactlyTheRoutes_withTheirPermissionCodes() {
        Set<String> documented = new HashSet<>();
        paths().forEach((path, item) -> SamTemplate.map(item).forEach((method, operation) -> {
            if (!method.equals("parameters")) {
                documented.add(method.toUpperCase(Locale.ROOT) + " " + path.substring(0, path.length() - 1) + " "
                        + SamTemplate.map(operation).get("x-permission-code"));
            }
        }));
        Set<String> routes = Arrays.stream(Route.values()).filter(r -> r.permission() != null)
                .map(r -> r.method() + " " + r.resource() + " " + r.permission().code()).collect(Collectors.toSet());

        assertThat(documented).isEqualTo(routes);
    }

    @Test
    void otpCodeSchema_listsTheContractsFieldsInOrder() {
        Map<String, Object> schema = schema("OTPCode");
        List<String> fields = Arrays.stream(OtpCodeField.values()).map(OtpCodeField::jsonName).collect(Collectors.toList());

        assertThat(SamTemplate.map(schema.get("properties")).keySet()).containsExactlyElementsOf(fields);
        assertThat(schema.get("required")).isEqualTo(fields);
        assertThat(SamTemplate.map(schema("PaginatedOTPCodeList").get("properties")).keySet())
                .containsExactly("count", "next", "previous", "results");
    }

    @Test
    void listParameters_areExactlyTheOnesTheListReads() {
        List<Object> parameters = SamTemplate.list(SamTemplate.map(SamTemplate.map(paths().get("/api/notifications/otp/")).get("get"))
                .get("parameters"));

        assertThat(parameters.stream().map(p -> SamTemplate.map(p).get("name")).collect(Collectors.toList()))
                .isEqualTo(ListQuery.parameterNames());
    }

    @Test
    void writableFields_areTheInputsTheFunctionsRead() {
        assertThat(SamTemplate.map(schema("OTPCodeCreate").get("properties")).keySet())
                .containsExactly("code", "mobile_number", "email", "valid_to");
        assertThat(SamTemplate.map(schema("OTPCodeUpdate").get("properties")).keySet())
                .containsExactly("code", "mobile_number", "email", "valid_to");
    }

    private Map<String, Object> schema(String name) {
        return SamTemplate.map(SamTemplate.map(SamTemplate.map(spec.get("components")).get("schemas")).get(name));
    }
}
