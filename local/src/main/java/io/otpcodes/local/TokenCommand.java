package io.otpcodes.local;

import io.otpcodes.auth.ApiToken;
import io.otpcodes.auth.DynamoDbTokenRepository;
import io.otpcodes.auth.Permission;
import io.otpcodes.auth.Tokens;
import io.otpcodes.config.Settings;
import io.otpcodes.store.DynamoDbClients;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code token create|revoke|list}: against DynamoDB Local with {@code --endpoint-url}, or
 * against AWS with the default credential chain and region (a deployed stack's token table
 * is its {@code TokensTableName} output).
 */
final class TokenCommand {

    static final String LOCAL_TABLE = "TokensTable";

    private TokenCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(Main.HELP);
            return Main.USAGE;
        }
        String action = args[0];
        String endpoint = null;
        String table = null;
        String name = "token";
        String id = null;
        boolean admin = false;
        boolean staff = false;
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--endpoint-url") || arg.equals("--table") || arg.equals("--name") || arg.equals("--permissions")
                    || arg.equals("--id")) {
                if (i + 1 >= args.length) {
                    err.println(arg + " needs a value");
                    return Main.USAGE;
                }
                String value = args[++i];
                switch (arg) {
                    case "--endpoint-url":
                        endpoint = value;
                        break;
                    case "--table":
                        table = value;
                        break;
                    case "--name":
                        name = value;
                        break;
                    case "--id":
                        id = value;
                        break;
                    default:
                        try {
                            for (String code : value.split(",")) {
                                if (!code.isBlank()) {
                                    permissions.add(Permission.ofCode(Integer.parseInt(code.strip())));
                                }
                            }
                        } catch (IllegalArgumentException e) {
                            err.println("--permissions takes codes among 2851,2852,2853, not '" + value + "'");
                            return Main.USAGE;
                        }
                }
            } else if (arg.equals("--admin")) {
                admin = true;
            } else if (arg.equals("--staff")) {
                staff = true;
            } else if (arg.startsWith("--")) {
                err.println("unknown option: " + arg);
                return Main.USAGE;
            } else {
                positional.add(arg);
            }
        }
        String endpointProblem = Endpoints.problem(endpoint);
        if (endpointProblem != null) {
            err.println(endpointProblem);
            return Main.USAGE;
        }
        if (action.equals("create") && !admin && !(staff && !permissions.isEmpty())) {
            err.println(staff ? "a staff token needs --permissions: 2851 create, 2852 list and retrieve, 2853 update"
                    : "a token passes no check without --admin, or --staff with --permissions");
            return Main.USAGE;
        }
        if (table == null) {
            if (endpoint == null) {
                err.println("--table is required against AWS: the stack's TokensTableName output");
                return Main.USAGE;
            }
            table = LOCAL_TABLE;
        }
        try (DynamoDbClient dynamoDb = client(endpoint)) {
            Tokens tokens = new Tokens(new DynamoDbTokenRepository(dynamoDb, table), Clock.systemUTC());
            switch (action) {
                case "create":
                    if (!positional.isEmpty()) {
                        err.println("token create takes no arguments, only options");
                        return Main.USAGE;
                    }
                    out.println(tokens.issue(name, admin, staff, permissions));
                    return 0;
                case "revoke":
                    if (positional.size() + (id == null ? 0 : 1) != 1) {
                        err.println("token revoke takes one TOKEN, or --id ID as token list shows it");
                        return Main.USAGE;
                    }
                    boolean revoked;
                    try {
                        revoked = id != null ? tokens.revokeById(id) : tokens.revoke(positional.get(0));
                    } catch (IllegalArgumentException e) {
                        err.println(e.getMessage());
                        return Main.USAGE;
                    }
                    if (!revoked) {
                        err.println("no such token");
                        return 1;
                    }
                    err.println("revoked");
                    return 0;
                case "list":
                    List<Tokens.Listed> all = tokens.list();
                    out.println("ID\tNAME\tROLES\tPERMISSIONS");
                    for (Tokens.Listed listed : all) {
                        out.println(listed.id() + "\t" + describe(listed.token()));
                    }
                    return 0;
                default:
                    err.println("unknown token command: " + action);
                    err.println(Main.HELP);
                    return Main.USAGE;
            }
        } catch (SdkException e) {
            err.println("DynamoDB refused: " + Endpoints.firstLine(e.getMessage()));
            return 1;
        }
    }

    /** Name, roles and permission codes: never a token or its whole hash. */
    static String describe(ApiToken token) {
        StringJoiner codes = new StringJoiner(",");
        for (Permission permission : Permission.values()) {
            if (token.permissions().contains(permission)) {
                codes.add(Integer.toString(permission.code()));
            }
        }
        StringJoiner roles = new StringJoiner(",");
        if (token.admin()) {
            roles.add("admin");
        }
        if (token.staff()) {
            roles.add("staff");
        }
        if (!token.active()) {
            roles.add("inactive");
        }
        return token.name() + "\t" + (roles.length() == 0 ? "-" : roles) + "\t" + (codes.length() == 0 ? "-" : codes);
    }

    static DynamoDbClient client(String endpoint) {
        return DynamoDbClients.create(settings(endpoint));
    }

    /** The settings of a command: the environment's, and the endpoint given, if any. */
    static Settings settings(String endpoint) {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (endpoint != null) {
            env.put(Settings.Variable.DYNAMODB_ENDPOINT.name(), endpoint);
        }
        return Settings.fromEnvironment(env);
    }
}
