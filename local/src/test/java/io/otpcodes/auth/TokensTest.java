package io.otpcodes.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class TokensTest {

    private final TestStack stack = LocalDynamoDb.newStack();
    private final Tokens tokens = new Tokens(
            new DynamoDbTokenRepository(stack.dynamoDb(), stack.settings().tokenTableName()), Clock.systemUTC());

    private List<Map<String, AttributeValue>> storedItems() {
        return stack.dynamoDb().scan(r -> r.tableName(stack.settings().tokenTableName())).items();
    }

    @Test
    void issue_returnsFortyHexCharacters_andStoresOnlyTheirHash() {
        String token = tokens.issue("ops", false, true, Set.of(Permission.VIEW, Permission.UPDATE));

        assertThat(token).matches("[0-9a-f]{40}");
        List<Map<String, AttributeValue>> items = storedItems();
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("token_hash").s()).isEqualTo(TokenHash.sha256(token)).hasSize(64);
        assertThat(items.get(0).toString()).doesNotContain(token);
        assertThat(items.get(0).get("permissions").ns()).containsExactlyInAnyOrder("2852", "2853");
    }

    @Test
    void issue_neverRepeatsAToken() {
        assertThat(Set.of(tokens.issue("a", true, false, Set.of()), tokens.issue("b", true, false, Set.of()),
                tokens.issue("c", true, false, Set.of()))).hasSize(3);
    }

    @Test
    void revoke_removesTheHolder_andSaysWhetherThereWasOne() {
        String token = tokens.issue("ops", true, false, Set.of());

        assertThat(tokens.revoke(token)).isTrue();
        assertThat(tokens.revoke(token)).isFalse();
        assertThat(storedItems()).isEmpty();
    }

    @Test
    void list_givesNamesAndPermissions() {
        tokens.issue("viewer", false, true, Set.of(Permission.VIEW));
        tokens.issue("root", true, false, Set.of());

        assertThat(tokens.list()).extracting(ApiToken::name).containsExactlyInAnyOrder("viewer", "root");
        assertThat(tokens.list()).filteredOn(t -> t.name().equals("viewer"))
                .singleElement().satisfies(t -> {
                    assertThat(t.permissions()).containsExactly(Permission.VIEW);
                    assertThat(t.staff()).isTrue();
                    assertThat(t.admin()).isFalse();
                });
    }

    @Test
    void tokenHeader_followsDrfsReading() {
        assertThat(TokenHeader.parse(null).kind()).isEqualTo(TokenHeader.Kind.NO_CREDENTIALS);
        assertThat(TokenHeader.parse("Bearer abc").kind()).isEqualTo(TokenHeader.Kind.NO_CREDENTIALS);
        assertThat(TokenHeader.parse("").kind()).isEqualTo(TokenHeader.Kind.NO_CREDENTIALS);
        assertThat(TokenHeader.parse("TOKEN abc")).extracting(TokenHeader::kind, TokenHeader::key)
                .containsExactly(TokenHeader.Kind.TOKEN, "abc");
        assertThat(TokenHeader.parse("Token").message()).isEqualTo("Invalid token header. No credentials provided.");
        assertThat(TokenHeader.parse("Token a b").message()).isEqualTo("Invalid token header. Token string should not contain spaces.");
        assertThat(TokenHeader.parse("Token ab\u00e9").message())
                .isEqualTo("Invalid token header. Token string should not contain invalid characters.");
        assertThat(TokenHeader.parse("Token secret-value").toString()).doesNotContain("secret-value");
    }
}
