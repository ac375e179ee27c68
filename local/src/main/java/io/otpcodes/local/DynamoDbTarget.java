package io.otpcodes.local;

import io.otpcodes.config.Settings;
import io.otpcodes.store.DynamoDbClients;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClientBuilder;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * Which DynamoDB the local runtime serves from, as {@code sam local start-api} lets the
 * environment choose: the DynamoDB Local it embeds (the default), any endpoint (a DynamoDB Local
 * already running, a proxy), or a deployed stack's tables on AWS, which it never creates or
 * changes the shape of.
 */
sealed interface DynamoDbTarget {

    /** The standard variables that point an AWS SDK client at another endpoint (tests, proxies). */
    String DYNAMODB_ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_DYNAMODB";
    String CLOUDFORMATION_ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_CLOUDFORMATION";

    /** DynamoDB Local in this JVM, on {@code port}, its data in {@code dataDir} (null: in memory). */
    record Embedded(int port, Path dataDir) implements DynamoDbTarget {
    }

    /** Whatever answers DynamoDB's API at {@code url}; the template's tables are created there if missing. */
    record Endpoint(String url) implements DynamoDbTarget {
    }

    /** The tables a deployed stack names in its outputs; null region and profile: the default chain's. */
    record DeployedStack(String name, String region, String profile) implements DynamoDbTarget {
    }

    /** A start that cannot go on, said in one line. */
    final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message);
        }
    }

    /**
     * What the runtime's functions and commands use: the client, the variables every function
     * gets, each table's name by logical id (none: the logical id, as locally), whether a first
     * start may issue an admin token, and the DynamoDB Local to stop with the runtime (null
     * unless embedded).
     */
    record Connection(DynamoDbClient dynamoDb, Map<String, String> environment, Map<String, String> tableNames,
            boolean issuesAdminToken, EmbeddedDynamoDb embedded, String endpointDescription) {

        String tableName(String logicalId) {
            return tableNames.getOrDefault(logicalId, logicalId);
        }
    }

    /** Connects, creating the template's tables where this target allows it; says what it did on {@code out}. */
    static Connection connect(DynamoDbTarget target, SamTemplate template, Map<String, String> environment,
            PrintStream out) throws Exception {
        if (target instanceof Endpoint endpoint) {
            return endpoint(endpoint, template, out);
        }
        if (target instanceof DeployedStack stack) {
            return stack(stack, template, environment, out);
        }
        return embedded((Embedded) target, template);
    }

    private static Connection embedded(Embedded target, SamTemplate template) throws Exception {
        EmbeddedDynamoDb server = EmbeddedDynamoDb.start(target.port(), target.dataDir());
        try {
            Map<String, String> base = localEnvironment(server.endpoint().toString());
            DynamoDbClient dynamoDb = DynamoDbClients.create(Settings.fromEnvironment(base));
            createTables(template, dynamoDb);
            return new Connection(dynamoDb, base, Map.of(), true, server, server.endpoint().toString());
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    private static Connection endpoint(Endpoint target, SamTemplate template, PrintStream out) throws Unusable {
        Map<String, String> base = localEnvironment(target.url());
        DynamoDbClient dynamoDb = DynamoDbClients.create(Settings.fromEnvironment(base));
        try {
            List<String> created = createTables(template, dynamoDb);
            out.println("DynamoDB: " + target.url() + (created.isEmpty() ? " (the template's tables are there)"
                    : " (created the tables it lacked: " + String.join(", ", created) + ")"));
        } catch (SdkException e) {
            dynamoDb.close();
            throw new Unusable("cannot use DynamoDB at " + target.url() + ": " + Endpoints.firstLine(e.getMessage()));
        }
        return new Connection(dynamoDb, base, Map.of(), true, null, target.url());
    }

    private static Connection stack(DeployedStack target, SamTemplate template, Map<String, String> environment,
            PrintStream out) throws Unusable {
        Region region = region(target, environment);
        AwsCredentialsProvider credentials = credentials(target, environment);
        try {
            credentials.resolveCredentials();
        } catch (SdkException e) {
            throw new Unusable("no AWS credentials" + (target.profile() == null ? "" : " in profile " + target.profile())
                    + ": " + Endpoints.firstLine(e.getMessage()));
        }
        Map<String, String> tableNames = stackTables(target, region, credentials, template, environment);
        Map<String, String> base = new HashMap<>();
        base.put("AWS_REGION", region.id());
        String endpoint = environment.get(DYNAMODB_ENDPOINT_VARIABLE);
        if (endpoint != null && !endpoint.isBlank()) {
            base.put(Settings.Variable.DYNAMODB_ENDPOINT.name(), endpoint);
        }
        DynamoDbClient dynamoDb = DynamoDbClients.create(Settings.fromEnvironment(base), credentials);
        try {
            for (String table : tableNames.values()) {
                dynamoDb.describeTable(r -> r.tableName(table));
            }
        } catch (ResourceNotFoundException e) {
            dynamoDb.close();
            throw new Unusable("stack " + target.name() + " names a table that is missing in " + region.id() + ": "
                    + Endpoints.firstLine(e.getMessage()));
        } catch (SdkException e) {
            dynamoDb.close();
            throw new Unusable("cannot read the tables of stack " + target.name() + ": " + Endpoints.firstLine(e.getMessage()));
        }
        out.println("DynamoDB: the tables of stack " + target.name() + " in " + region.id() + " ("
                + String.join(", ", tableNames.values()) + "); none is created or changed");
        return new Connection(dynamoDb, base, tableNames, false, null, "stack " + target.name());
    }

    private static Region region(DeployedStack target, Map<String, String> environment) throws Unusable {
        if (target.region() != null) {
            return Region.of(target.region());
        }
        for (String name : List.of("AWS_REGION", "AWS_DEFAULT_REGION")) {
            if (environment.get(name) != null && !environment.get(name).isBlank()) {
                return Region.of(environment.get(name));
            }
        }
        try {
            return DefaultAwsRegionProviderChain.builder().profileName(target.profile()).build().getRegion();
        } catch (SdkException e) {
            throw new Unusable("no AWS region: give --region, or set AWS_REGION or a region in the profile");
        }
    }

    private static AwsCredentialsProvider credentials(DeployedStack target, Map<String, String> environment) {
        return target.profile() != null ? ProfileCredentialsProvider.create(target.profile())
                : DynamoDbClients.credentials(environment);
    }

    /** The stack's table names, from the outputs the template declares for them. */
    private static Map<String, String> stackTables(DeployedStack target, Region region, AwsCredentialsProvider credentials,
            SamTemplate template, Map<String, String> environment) throws Unusable {
        CloudFormationClientBuilder builder = CloudFormationClient.builder().region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create());
        String endpoint = environment.get(CLOUDFORMATION_ENDPOINT_VARIABLE);
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        Stack stack;
        try (CloudFormationClient cloudFormation = builder.build()) {
            List<Stack> stacks = cloudFormation.describeStacks(r -> r.stackName(target.name())).stacks();
            if (stacks.isEmpty()) {
                throw new Unusable("stack " + target.name() + " not found in " + region.id());
            }
            stack = stacks.get(0);
        } catch (SdkException e) {
            String message = Endpoints.firstLine(e.getMessage());
            throw new Unusable(message.contains("does not exist") ? "stack " + target.name() + " not found in " + region.id()
                    : "cannot read stack " + target.name() + ": " + message);
        }
        Map<String, String> outputs = new HashMap<>();
        for (Output output : stack.outputs()) {
            outputs.put(output.outputKey(), output.outputValue());
        }
        Map<String, String> tables = new LinkedHashMap<>();
        for (Map.Entry<String, String> table : template.tableOutputs().entrySet()) {
            String name = outputs.get(table.getValue());
            if (name == null) {
                throw new Unusable("stack " + target.name() + " has no output " + table.getValue()
                        + " (deployed from an older template? deploy this one first)");
            }
            tables.put(table.getKey(), name);
        }
        return tables;
    }

    /** What the functions need to reach a DynamoDB that takes any key (DynamoDB Local). */
    private static Map<String, String> localEnvironment(String endpoint) {
        Map<String, String> base = new HashMap<>();
        base.put(Settings.Variable.DYNAMODB_ENDPOINT.name(), endpoint);
        base.put("AWS_REGION", "us-east-1");
        base.put("AWS_ACCESS_KEY_ID", "local");
        base.put("AWS_SECRET_ACCESS_KEY", "local");
        return base;
    }

    /** The template's tables, created where missing, with TTL as declared; returns the names it created. */
    static List<String> createTables(SamTemplate template, DynamoDbClient dynamoDb) {
        Set<String> existing = Set.copyOf(dynamoDb.listTables().tableNames());
        List<String> created = new ArrayList<>();
        for (CreateTableRequest table : template.tables("")) {
            if (existing.contains(table.tableName())) {
                continue;
            }
            try {
                dynamoDb.createTable(table);
            } catch (ResourceInUseException e) {
                continue;
            }
            created.add(table.tableName());
            String ttl = template.timeToLiveAttribute(table.tableName());
            if (ttl != null) {
                dynamoDb.updateTimeToLive(r -> r.tableName(table.tableName())
                        .timeToLiveSpecification(s -> s.attributeName(ttl).enabled(true)));
            }
        }
        return created;
    }
}
