package io.otpcodes.auth;

import static io.otpcodes.auth.TokenTableSchema.CREATED_AT;
import static io.otpcodes.auth.TokenTableSchema.IS_ACTIVE;
import static io.otpcodes.auth.TokenTableSchema.IS_ADMIN;
import static io.otpcodes.auth.TokenTableSchema.IS_STAFF;
import static io.otpcodes.auth.TokenTableSchema.NAME;
import static io.otpcodes.auth.TokenTableSchema.PERMISSIONS;
import static io.otpcodes.auth.TokenTableSchema.TOKEN_HASH;

import io.otpcodes.domain.Timestamps;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** The token table in DynamoDB, through the low-level client. */
public final class DynamoDbTokenRepository implements TokenRepository {

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbTokenRepository(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public Optional<ApiToken> findByHash(String tokenHash) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table)
                .key(Map.of(TOKEN_HASH, AttributeValue.fromS(tokenHash)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toToken(item));
    }

    @Override
    public void save(String tokenHash, ApiToken token) {
        dynamoDb.putItem(r -> r.tableName(table).item(toItem(tokenHash, token))
                .conditionExpression("attribute_not_exists(#hash)")
                .expressionAttributeNames(Map.of("#hash", TOKEN_HASH)));
    }

    /** Stores the holder of a token whatever was stored for it before: an import brings existing tokens across. */
    public void put(String tokenHash, ApiToken token) {
        dynamoDb.putItem(r -> r.tableName(table).item(toItem(tokenHash, token)));
    }

    private static Map<String, AttributeValue> toItem(String tokenHash, ApiToken token) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TOKEN_HASH, AttributeValue.fromS(tokenHash));
        item.put(NAME, AttributeValue.fromS(token.name()));
        item.put(IS_ACTIVE, AttributeValue.fromBool(token.active()));
        item.put(IS_STAFF, AttributeValue.fromBool(token.staff()));
        item.put(IS_ADMIN, AttributeValue.fromBool(token.admin()));
        if (!token.permissions().isEmpty()) {
            List<String> codes = new ArrayList<>();
            token.permissions().forEach(p -> codes.add(Integer.toString(p.code())));
            item.put(PERMISSIONS, AttributeValue.fromNs(codes));
        }
        item.put(CREATED_AT, AttributeValue.fromN(Long.toString(Timestamps.toEpochMicros(token.createdAt()))));
        return item;
    }

    @Override
    public boolean delete(String tokenHash) {
        Map<String, AttributeValue> old = dynamoDb.deleteItem(r -> r.tableName(table)
                .key(Map.of(TOKEN_HASH, AttributeValue.fromS(tokenHash)))
                .returnValues(ReturnValue.ALL_OLD)).attributes();
        return old != null && !old.isEmpty();
    }

    @Override
    public Map<String, ApiToken> findAll() {
        Map<String, ApiToken> tokens = new java.util.LinkedHashMap<>();
        dynamoDb.scanPaginator(r -> r.tableName(table)).items()
                .forEach(item -> tokens.put(item.get(TOKEN_HASH).s(), toToken(item)));
        return tokens;
    }

    private static ApiToken toToken(Map<String, AttributeValue> item) {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        AttributeValue codes = item.get(PERMISSIONS);
        if (codes != null && codes.hasNs()) {
            for (String code : codes.ns()) {
                try {
                    permissions.add(Permission.ofCode(Integer.parseInt(code)));
                } catch (IllegalArgumentException e) {
                    // a code this service does not know grants nothing here
                }
            }
        }
        AttributeValue created = item.get(CREATED_AT);
        return new ApiToken(
                item.get(NAME) == null ? "" : item.get(NAME).s(),
                bool(item.get(IS_ACTIVE)),
                bool(item.get(IS_STAFF)),
                bool(item.get(IS_ADMIN)),
                permissions,
                created == null ? java.time.Instant.EPOCH : Timestamps.fromEpochMicros(Long.parseLong(created.n())));
    }

    private static boolean bool(AttributeValue value) {
        return value != null && Boolean.TRUE.equals(value.bool());
    }
}
