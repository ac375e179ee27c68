package io.otpcodes.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void list_givesIdsNamesAndPermissions() {
        String viewer = tokens.issue("viewer", false, true, Set.of(Permission.VIEW));
        tokens.issue("root", true, false, Set.of());

        assertThat(tokens.list()).extracting(l -> l.token().name()).containsExactlyInAnyOrder("viewer", "root");
        assertThat(tokens.list()).filteredOn(l -> l.token().name().equals("viewer"))
                .singleElement().satisfies(l -> {
                    assertThat(l.id()).hasSize(12).isEqualTo(TokenHash.sha256(viewer).substring(0, 12))
                            .doesNotContain(viewer.substring(0, 12));
                    assertThat(l.token().permissions()).containsExactly(Permission.VIEW);
                    assertThat(l.token().staff()).isTrue();
                    assertThat(l.token().admin()).isFalse();
                });
    }

    @Test
    void revokeById_revokesTheOneTokenThatIdNames() {
        String kept = tokens.issue("kept", true, false, Set.of());
        tokens.issue("lost", true, false, Set.of());
        String id = tokens.list().stream().filter(l -> l.token().name().equals("lost")).findFirst().orElseThrow().id();

        assertThat(tokens.revokeById(id.toUpperCase(java.util.Locale.ROOT))).isTrue();
        assertThat(tokens.revokeById(id)).isFalse();
        assertThat(tokens.list()).extracting(l -> l.token().name()).containsExactly("kept");
        assertThatThrownBy(() -> tokens.revokeById("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(tokens.revoke(kept)).isTrue();
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
