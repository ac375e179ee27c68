package io.otpcodes.local;

import io.otpcodes.auth.ApiToken;
import io.otpcodes.auth.DynamoDbTokenRepository;
import io.otpcodes.auth.Permission;
import io.otpcodes.auth.TokenHash;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code import tokens FILE}: the old service's DRF tokens, each stored as its SHA-256 as every
 * token is, with the flags and permission codes its user had, so that a client's old key keeps
 * exactly the access it had: an inactive user's answers 401, a user without staff or without the
 * route's code 403, as before. Unlike {@code token create}, it brings such tokens too. A key is
 * never printed: a report names a row by its line.
 */
final class TokenImport {

    static final String KEY = "key";
    static final String IS_ACTIVE = "is_active";
    static final String IS_STAFF = "is_staff";
    static final String IS_SUPERUSER = "is_superuser";
    static final String PERMISSIONS = "permissions";
    static final String NAME = "name";

    static final List<String> COLUMNS = List.of(KEY, IS_ACTIVE, IS_STAFF, IS_SUPERUSER, PERMISSIONS);

    private static final Pattern KEY_FORMAT = Pattern.compile("[0-9a-fA-F]{40}");
    private static final Pattern CODE_SEPARATORS = Pattern.compile("[,\\s]+");
    private static final Map<String, Boolean> BOOLEANS = Map.of("t", true, "true", true, "1", true, "f", false, "false", false,
            "0", false);

    /** One valid row: the hash of its key and the holder as it will be stored. */
    private record TokenRow(long line, String hash, ApiToken token, int unknownCodes) {
    }

    private final DynamoDbTokenRepository tokens;
    private final PrintStream out;

    TokenImport(DynamoDbTokenRepository tokens, PrintStream out) {
        this.tokens = tokens;
        this.out = out;
    }

    int run(Path file, boolean dryRun, Instant now) throws CsvFile.Unreadable {
        ImportReport report = new ImportReport();
        Map<String, TokenRow> byHash = new LinkedHashMap<>();
        Map<String, Long> rejectedHashes = new HashMap<>();
        long rows = 0;
        int unknownCodes = 0;
        try (CsvFile csv = CsvFile.open(file, COLUMNS, List.of(NAME))) {
            for (CsvFile.Row row = csv.next(); row != null; row = csv.next()) {
                rows++;
                Optional<TokenRow> token = read(row, now, report);
                if (token.isEmpty()) {
                    continue;
                }
                String hash = token.get().hash();
                TokenRow first = byHash.get(hash);
                if (first != null || rejectedHashes.containsKey(hash)) {
                    long firstLine = first != null ? first.line() : rejectedHashes.get(hash);
                    if (first != null) {
                        byHash.remove(hash);
                        rejectedHashes.put(hash, firstLine);
                        report.reject(firstLine, KEY, "The same key is on line " + row.line() + " too.");
                    }
                    report.reject(row.line(), KEY, "The same key is on line " + firstLine + " too.");
                    continue;
                }
                byHash.put(hash, token.get());
            }
        }
        for (TokenRow row : byHash.values()) {
            unknownCodes += row.unknownCodes();
            Optional<ApiToken> stored = tokens.findByHash(row.hash());
            if (stored.isPresent() && same(stored.get(), row.token())) {
                report.add(ImportReport.Count.UNCHANGED, 1);
                continue;
            }
            if (!dryRun) {
                ApiToken token = row.token();
                tokens.put(row.hash(), stored.map(s -> new ApiToken(token.name(), token.active(), token.staff(), token.admin(),
                        token.permissions(), s.createdAt())).orElse(token));
            }
            report.add(stored.isPresent() ? ImportReport.Count.UPDATED : ImportReport.Count.IMPORTED, 1);
        }
        if (unknownCodes > 0) {
            report.note(unknownCodes + " permission codes other than 2851, 2852 and 2853 were left out: they grant nothing here");
        }
        report.print(out, String.format(Locale.ROOT, "import tokens %s: %,d rows", file.getFileName(), rows), dryRun);
        return report.anyRejected() ? 1 : 0;
    }

    private static boolean same(ApiToken a, ApiToken b) {
        return a.name().equals(b.name()) && a.active() == b.active() && a.staff() == b.staff() && a.admin() == b.admin()
                && a.permissions().equals(b.permissions());
    }

    /** The row as a token holder, or its errors reported. */
    private static Optional<TokenRow> read(CsvFile.Row row, Instant now, ImportReport report) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        String key = row.get(KEY) == null ? null : row.get(KEY).strip();
        if (key == null || !KEY_FORMAT.matcher(key).matches()) {
            errors.put(KEY, List.of(key == null ? CodeRow.MISSING : "Not a DRF token key (40 hexadecimal characters)."));
        }
        Boolean active = bool(row, IS_ACTIVE, errors);
        Boolean staff = bool(row, IS_STAFF, errors);
        Boolean superuser = bool(row, IS_SUPERUSER, errors);
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        int unknown = 0;
        String codes = row.get(PERMISSIONS);
        if (codes == null) {
            errors.put(PERMISSIONS, List.of(CodeRow.MISSING));
        } else {
            for (String code : CODE_SEPARATORS.split(codes.strip())) {
                if (code.isEmpty()) {
                    continue;
                }
                try {
                    permissions.add(Permission.ofCode(Integer.parseInt(code)));
                } catch (NumberFormatException e) {
                    errors.put(PERMISSIONS, List.of("Not a list of permission codes (whole numbers separated by commas or blanks)."));
                    break;
                } catch (IllegalArgumentException e) {
                    unknown++;
                }
            }
        }
        if (!errors.isEmpty()) {
            report.reject(row.line(), errors);
            return Optional.empty();
        }
        String hash = TokenHash.sha256(key);
        String name = row.get(NAME) == null || row.get(NAME).isBlank() ? "drf-" + hash.substring(0, 12) : row.get(NAME).strip();
        return Optional.of(new TokenRow(row.line(), hash, new ApiToken(name, active, staff, superuser, permissions,
                now.truncatedTo(ChronoUnit.MICROS)), unknown));
    }

    private static Boolean bool(CsvFile.Row row, String column, Map<String, List<String>> errors) {
        String value = row.get(column);
        Boolean parsed = value == null ? null : BOOLEANS.get(value.strip().toLowerCase(Locale.ROOT));
        if (parsed == null) {
            errors.put(column, List.of(value == null ? CodeRow.MISSING : "Must be t/f, true/false or 1/0."));
        }
        return parsed;
    }
}
