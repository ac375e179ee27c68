package io.otpcodes.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;

/**
 * template.yaml, read as the local runtime and the tests need it: the tables to create, the
 * functions with their handlers, routes and environment. The template is the one source of
 * these facts; nothing here keeps a copy of them.
 */
public final class SamTemplate {

    /** The copy of template.yaml that the build puts on the class path. */
    public static final String RESOURCE = "/template.yaml";

    private final Map<String, Object> template;

    private SamTemplate(Map<String, Object> template) {
        this.template = template;
    }

    public static SamTemplate load() {
        try (InputStream in = SamTemplate.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("template.yaml is not on the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SamTemplate load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SamTemplate parse(String yaml) {
        return new SamTemplate(CloudFormationYaml.parse(yaml));
    }

    public Map<String, Object> raw() {
        return template;
    }

    /** Resources of one type, by logical id, in template order. */
    public Map<String, Map<String, Object>> resources(String type) {
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : map(template.get("Resources")).entrySet()) {
            Map<String, Object> resource = map(entry.getValue());
            if (type.equals(resource.get("Type"))) {
                result.put(entry.getKey(), resource);
            }
        }
        return result;
    }

    public Map<String, Object> properties(String logicalId) {
        return map(map(map(template.get("Resources")).get(logicalId)).get("Properties"));
    }

    /** A parameter's default, as text. */
    public String parameterDefault(String name) {
        Object value = map(map(template.get("Parameters")).get(name)).get("Default");
        return value == null ? null : String.valueOf(value);
    }

    /** The DynamoDB tables, each as a CreateTableRequest named {@code prefix + logicalId}. */
    public List<CreateTableRequest> tables(String prefix) {
        List<CreateTableRequest> requests = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> entry : resources("AWS::DynamoDB::Table").entrySet()) {
            Map<String, Object> properties = map(entry.getValue().get("Properties"));
            CreateTableRequest.Builder request = CreateTableRequest.builder()
                    .tableName(prefix + entry.getKey())
                    .billingMode(BillingMode.fromValue(String.valueOf(properties.get("BillingMode"))))
                    .attributeDefinitions(list(properties.get("AttributeDefinitions")).stream()
                            .map(SamTemplate::map)
                            .map(a -> AttributeDefinition.builder()
                                    .attributeName((String) a.get("AttributeName"))
                                    .attributeType((String) a.get("AttributeType"))
                                    .build())
                            .toList())
                    .keySchema(keySchema(properties.get("KeySchema")));
            List<Object> indexes = list(properties.get("GlobalSecondaryIndexes"));
            if (!indexes.isEmpty()) {
                request.globalSecondaryIndexes(indexes.stream().map(SamTemplate::map)
                        .map(index -> GlobalSecondaryIndex.builder()
                                .indexName((String) index.get("IndexName"))
                                .keySchema(keySchema(index.get("KeySchema")))
                                .projection(Projection.builder()
                                        .projectionType((String) map(index.get("Projection")).get("ProjectionType"))
                                        .build())
                                .build())
                        .toList());
            }
            requests.add(request.build());
        }
        return requests;
    }

    /** The TTL attribute of a table, or null. */
    public String timeToLiveAttribute(String tableLogicalId) {
        Map<String, Object> ttl = map(properties(tableLogicalId).get("TimeToLiveSpecification"));
        return Boolean.TRUE.equals(ttl.get("Enabled")) ? (String) ttl.get("AttributeName") : null;
    }

    /** The functions, in template order. */
    public List<Function> functions() {
        List<Function> functions = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> entry : resources("AWS::Serverless::Function").entrySet()) {
            Map<String, Object> properties = map(entry.getValue().get("Properties"));
            List<ApiEvent> events = new ArrayList<>();
            for (Object value : map(properties.get("Events")).values()) {
                Map<String, Object> event = map(value);
                if ("Api".equals(event.get("Type"))) {
                    Map<String, Object> p = map(event.get("Properties"));
                    events.add(new ApiEvent((String) p.get("Method"), (String) p.get("Path")));
                }
            }
            functions.add(new Function(entry.getKey(), (String) properties.get("Handler"), events, properties));
        }
        return functions;
    }

    public Function function(String logicalId) {
        return functions().stream().filter(f -> f.logicalId().equals(logicalId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no function " + logicalId));
    }

    /**
     * A function property as the function has it, or else as {@code Globals.Function} gives it
     * (Timeout, MemorySize, AutoPublishAlias); null when neither does.
     */
    public Object functionProperty(String functionLogicalId, String name) {
        Object own = properties(functionLogicalId).get(name);
        return own != null ? own : map(map(template.get("Globals")).get("Function")).get(name);
    }

    /**
     * A function's environment as raw template values (intrinsics left as maps): the Globals,
     * then the function's own.
     */
    public Map<String, Object> rawEnvironment(String functionLogicalId) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.putAll(variables(map(map(template.get("Globals")).get("Function"))));
        env.putAll(variables(properties(functionLogicalId)));
        return env;
    }

    /**
     * A function's environment with {@code !Ref} resolved as the local runtime resolves it: a
     * parameter to its default, a table to {@code tablePrefix + logicalId}.
     */
    public Map<String, String> environment(String functionLogicalId, String tablePrefix) {
        return environment(functionLogicalId, logicalId -> tablePrefix + logicalId);
    }

    /** The same, with each table's name given by {@code tableName} (a deployed stack's). */
    public Map<String, String> environment(String functionLogicalId, UnaryOperator<String> tableName) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : rawEnvironment(functionLogicalId).entrySet()) {
            env.put(entry.getKey(), resolve(entry.getValue(), tableName));
        }
        return env;
    }

    /** Which output of the stack gives each table's name: table logical id to output key. */
    public Map<String, String> tableOutputs() {
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Map.Entry<String, Object> output : map(template.get("Outputs")).entrySet()) {
            Object ref = map(map(output.getValue()).get("Value")).get("Ref");
            if (ref != null && resources("AWS::DynamoDB::Table").containsKey(String.valueOf(ref))) {
                outputs.put(String.valueOf(ref), output.getKey());
            }
        }
        return outputs;
    }

    private String resolve(Object value, UnaryOperator<String> tableName) {
        if (value instanceof Map && map(value).containsKey("Ref")) {
            String ref = String.valueOf(map(value).get("Ref"));
            Map<String, Object> parameters = map(template.get("Parameters"));
            if (parameters.containsKey(ref)) {
                return parameterDefault(ref);
            }
            return tableName.apply(ref);
        }
        if (value instanceof Map) {
            throw new IllegalStateException("cannot resolve " + value + " locally");
        }
        return String.valueOf(value);
    }

    private static Map<String, Object> variables(Map<String, Object> properties) {
        return map(map(properties.get("Environment")).get("Variables"));
    }

    private static List<KeySchemaElement> keySchema(Object keySchema) {
        return list(keySchema).stream().map(SamTemplate::map)
                .map(k -> KeySchemaElement.builder()
                        .attributeName((String) k.get("AttributeName"))
                        .keyType((String) k.get("KeyType"))
                        .build())
                .toList();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : Collections.emptyMap();
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value) {
        return value instanceof List ? (List<Object>) value : Collections.emptyList();
    }

    /** One API event of a function: a method on a path. */
    public record ApiEvent(String method, String path) {
    }

    /** One AWS::Serverless::Function. */
    public record Function(String logicalId, String handler, List<ApiEvent> events, Map<String, Object> properties) {

        /** The handler's class name, without {@code ::method}. */
        public String handlerClass() {
            int cut = handler.indexOf("::");
            return cut < 0 ? handler : handler.substring(0, cut);
        }
    }
}
