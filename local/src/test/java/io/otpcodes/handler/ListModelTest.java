package io.otpcodes.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpcodes.api.Route;
import io.otpcodes.domain.IranianMobileNumber;
import io.otpcodes.domain.Messages;
import io.otpcodes.domain.OtpCodeService;
import io.otpcodes.domain.PythonInt;
import io.otpcodes.local.ProxyEvent;
import io.otpcodes.local.testing.Invocation;
import io.otpcodes.local.testing.Invocation.Response;
import io.otpcodes.local.testing.LocalDynamoDb;
import io.otpcodes.local.testing.TestStack;
import io.otpcodes.store.DynamoDbOtpCodeRepository;
import io.otpcodes.store.IdBuckets;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Model-based test of the list: random data sets, written through the real create and update
 * functions on DynamoDB Local, and random combinations of every list parameter (repeated and
 * invalid values too), each answer compared with a brute-force model of CONTRACT.md that filters
 * every code in memory, sorts and slices. Small id buckets make every plan cross many summaries.
 * The clock moves between queries, so codes cross their TTL while they are listed. The last
 * data set loses its ready marker, as a table not backfilled yet, so the Scan plans are checked too.
 *
 * <p>Seeded: a failure names its seed and query. {@code -Dlist.model.datasets=N} and
 * {@code -Dlist.model.queries=N} make a bigger run.
 */
class ListModelTest {

    static final int DATASETS = Integer.getInteger("list.model.datasets", 4);
    static final int QUERIES = Integer.getInteger("list.model.queries", 500);
    static final Duration RETENTION = Duration.ofMinutes(90);
    static final Instant START = Instant.parse("2025-03-10T22:00:00Z");

    static Stream<Long> seeds() {
        return IntStream.range(0, DATASETS).mapToObj(i -> 1000L + i);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomQueries_answerAsTheModel(long seed) {
        Random random = new Random(seed);
        TestStack stack = LocalDynamoDb.newStack();
        var settings = stack.settings();
        ListOtpCodesTest.SettableClock clock = new ListOtpCodesTest.SettableClock();
        int fine = 2 + random.nextInt(4);
        IdBuckets buckets = new IdBuckets(random.nextBoolean() ? 1 : fine, fine, fine * (2 + random.nextInt(4)));
        OtpCodeService service = new OtpCodeService(new DynamoDbOtpCodeRepository(stack.dynamoDb(),
                settings.otpTableName(), settings.counterTableName(), settings.summaryTableName(), RETENTION, buckets),
                clock, settings.expiration());
        ListOtpCodesHandler list = new ListOtpCodesHandler(service, 100);
        Map<Long, Model> codes = writeDataSet(random, clock, service);
        if (seed % DATASETS == DATASETS - 1) {
            // as a table an older version wrote, before its backfill: every list takes the Scan plans
            stack.makeNotBackfilled();
        }
        Instant now = START.plus(Duration.ofHours(40));

        for (int q = 0; q < QUERIES; q++) {
            if (q % 50 == 0) {
                now = now.plusSeconds(random.nextInt(900));
            }
            clock.now = now.plusNanos(random.nextInt(1_000_000) * 1000L);
            List<String[]> params = randomParams(random, codes);
            Response actual = Invocation.invoke(list, event(params));
            Expected expected = model(codes.values(), params, clock.now);
            String what = "seed " + seed + ", buckets " + buckets + ", now " + clock.now + ", query " + describe(params);
            assertThat(actual.status()).as(what).isEqualTo(expected.status);
            if (expected.status != 200) {
                assertThat(actual.json()).as(what).isEqualTo(expected.errors);
                continue;
            }
            Map<String, Object> body = actual.object();
            assertThat(body.get("count")).as(what + " count").isEqualTo(expected.count);
            @SuppressWarnings("unchecked")
            List<Long> ids = ((List<Map<String, Object>>) body.get("results")).stream()
                    .map(r -> (Long) r.get("id")).collect(Collectors.toList());
            assertThat(ids).as(what + " ids").isEqualTo(expected.ids);
            assertThat(body.get("next") == null).as(what + " next").isEqualTo(expected.lastPage);
            assertThat(body.get("previous") == null).as(what + " previous").isEqualTo(expected.firstPage);
        }
    }

    /** A code as the model knows it: from the functions' own answers. */
    record Model(long id, long code, String mobile, String email, Instant validTo, Instant createdAt, Instant updatedAt) {

        static Model of(Map<String, Object> json) {
            return new Model((Long) json.get("id"), (Long) json.get("code"), (String) json.get("mobile_number"),
                    (String) json.get("email"), Instant.parse((String) json.get("valid_to")),
                    Instant.parse((String) json.get("created_at")), Instant.parse((String) json.get("updated_at")));
        }

        long expiresAt() {
            Instant end = validTo.plus(RETENTION);
            return end.getEpochSecond() + (end.getNano() > 0 ? 1 : 0);
        }
    }

    static final List<String> MOBILES = List.of("09120000001", "09121234567", "09359876543", "09124440000");
    static final List<String> EMAILS = List.of("Alice@Example.com", "bob@example.org", "carol.x@mail.ir", "DAN@EXAMPLE.COM",
            "strasse@example.de");

    private static Map<Long, Model> writeDataSet(Random random, ListOtpCodesTest.SettableClock clock, OtpCodeService service) {
        CreateOtpCodeHandler create = new CreateOtpCodeHandler(service);
        UpdateOtpCodeHandler update = new UpdateOtpCodeHandler(service);
        Map<Long, Model> codes = new TreeMap<>();
        int size = 30 + random.nextInt(120);
        Instant at = START;
        for (int i = 0; i < size; i++) {
            at = at.plusSeconds(random.nextInt(5) == 0 ? 0 : random.nextInt(3 * 3600)).plusNanos(random.nextInt(1000) * 1000L);
            clock.now = at;
            String recipient = random.nextBoolean()
                    ? "\"mobile_number\": \"" + MOBILES.get(random.nextInt(MOBILES.size())) + "\""
                    : "\"email\": \"" + EMAILS.get(random.nextInt(EMAILS.size())) + "\"";
            // valid_to around the clock's later positions, so codes are valid, expired, and crossing their TTL
            Instant validTo = START.plus(Duration.ofHours(38)).plusSeconds(random.nextInt(6 * 3600));
            String body = "{\"code\": " + random.nextInt(random.nextBoolean() ? 100 : 1_000_000) + ", " + recipient
                    + (random.nextInt(4) == 0 ? "" : ", \"valid_to\": \"" + validTo + "\"") + "}";
            Response response = Invocation.invoke(create, ProxyEvent.request("POST", "/api/notifications/otp/")
                    .resource(Route.COLLECTION).jsonBody(body));
            assertThat(response.status()).as(body).isEqualTo(201);
            Model code = Model.of(response.object());
            codes.put(code.id(), code);
        }
        for (int i = 0; i < size / 3; i++) {
            long id = 1 + random.nextInt(size);
            clock.now = at.plusSeconds(60 + random.nextInt(3600));
            String body = switch (random.nextInt(3)) {
                case 0 -> "{\"valid_to\": \"" + START.plus(Duration.ofHours(38)).plusSeconds(random.nextInt(6 * 3600)) + "\"}";
                case 1 -> "{\"code\": " + random.nextInt(1000) + "}";
                default -> "{\"mobile_number\": null, \"email\": \"" + EMAILS.get(random.nextInt(EMAILS.size()))
                        + "\", \"valid_to\": \"" + START.plus(Duration.ofHours(39)).plusSeconds(random.nextInt(3600)) + "\"}";
            };
            Response response = Invocation.invoke(update, ProxyEvent.request("PATCH", "/api/notifications/otp/" + id + "/")
                    .resource(Route.ITEM).pathParameter("id", Long.toString(id)).jsonBody(body));
            if (response.status() == 200) {
                Model code = Model.of(response.object());
                codes.put(code.id(), code);
            }
        }
        return codes;
    }

    // ---- queries ----

    static final List<String> NAMES = List.of("limit", "offset", "search", "ordering", "id_min", "id_max", "created_date",
            "updated_date", "created_from", "updated_from", "created_to", "updated_to", "has_mobile_number", "has_email",
            "mobile_number", "email", "is_allow", "format");
    /** The parameters the summaries answer alone: most operators' views. */
    static final List<String> ID_VIEW = List.of("limit", "offset", "ordering", "id_min", "id_max", "created_date",
            "created_from", "created_to");

    private static List<String[]> randomParams(Random random, Map<Long, Model> codes) {
        List<String[]> params = new ArrayList<>();
        boolean idView = random.nextInt(10) < 6;
        int n = random.nextInt(idView ? 4 : 5);
        for (int i = 0; i < n; i++) {
            String name = idView ? pick(random, ID_VIEW) : pick(random, NAMES);
            params.add(new String[] {name, value(random, name, codes, idView)});
        }
        if (random.nextInt(20) == 0 && !params.isEmpty()) {
            String[] first = params.get(0);
            params.add(new String[] {first[0], value(random, first[0], codes, idView)}); // repeated: the last counts
        }
        return params;
    }

    private static String value(Random random, String name, Map<Long, Model> codes, boolean idView) {
        long maxId = codes.size() + 3;
        List<String> days = codes.values().stream().map(c -> c.createdAt().atOffset(ZoneOffset.UTC).toLocalDate().toString())
                .distinct().toList();
        return switch (name) {
            case "limit" -> pick(random, List.of("1", "2", "3", "5", "7", "10", "0", "-1", "abc", " 4 ", "+3", "1000", "5000", ""));
            case "offset" -> random.nextBoolean() ? Integer.toString(random.nextInt((int) maxId + 5))
                    : pick(random, List.of("0", "-3", "x", " 2", "100000"));
            case "search" -> pick(random, List.of("", "0912", "example", "EXAMPLE.COM", "\"mail.ir\"", "12", "0912,com",
                    "ex com", "ab\u0000c", "org", "7", "999999",
                    // a lone quote is an empty term; Unicode blanks split; "ß" is not "SS"
                    "\"", "'", "ex\u00a0com", "\u3000org", "ß", "STRAßE"));
            case "ordering" -> idView && random.nextInt(4) > 0
                    ? pick(random, List.of("id", "-id", "--id", "ID", " -id ", "nonsense", "-id,code", "id,-code", ""))
                    : pick(random, List.of("code", "-code", "email", "-email", "mobile_number", "-mobile_number", "ttl",
                            "-ttl", "created_at", "-updated_at", "valid_to", "nonsense,-code", "code,-id", "-email,code"));
            case "id_min", "id_max" -> random.nextInt(6) > 0 ? Long.toString(random.nextInt((int) maxId + 2))
                    : pick(random, List.of("2.5", "abc", "", " 7 ", "-1", "1e400", "6.5", "-2.5", "1_0", "1_00",
                            "1e-400000000", "2.5e0"));
            case "created_date", "updated_date", "created_from", "updated_from", "created_to", "updated_to" ->
                    random.nextInt(8) > 0 ? pick(random, days) : pick(random, List.of("2025-13-01", "", "bad", "2025-03-09",
                            "0000-01-01"));
            case "has_mobile_number", "has_email", "is_allow" ->
                    pick(random, List.of("true", "false", "1", "0", "TRUE", "False", " true", "yes", ""));
            case "mobile_number" -> random.nextInt(8) > 0 ? pick(random, MOBILES).replaceFirst("^0", pick(random, List.of("0", "+98", "98")))
                    : pick(random, List.of("09000000000", "0912", "09\u000012", ""));
            case "email" -> random.nextInt(8) > 0 ? caseMix(random, pick(random, EMAILS))
                    : pick(random, List.of("nobody@example.com", "alice", "a\u0000@b.c", ""));
            default -> "json";
        };
    }

    private static String caseMix(Random random, String text) {
        return random.nextBoolean() ? text.toUpperCase(Locale.ROOT) : text.toLowerCase(Locale.ROOT);
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static ProxyEvent event(List<String[]> params) {
        ProxyEvent event = ProxyEvent.request("GET", "/api/notifications/otp/").resource(Route.COLLECTION)
                .header("Host", "api.example.com").header("X-Forwarded-Proto", "https");
        for (String[] p : params) {
            event.query(p[0], p[1]);
        }
        return event;
    }

    private static String describe(List<String[]> params) {
        return params.stream().map(p -> p[0] + "=" + p[1].replace("\u0000", "\\0")).collect(Collectors.joining("&"));
    }

    // ---- the model: CONTRACT.md, "Listing" ----

    record Expected(int status, Object errors, long count, List<Long> ids, boolean firstPage, boolean lastPage) {
    }

    static final List<String> FILTERS = List.of("id_min", "id_max", "created_date", "updated_date", "created_from",
            "updated_from", "created_to", "updated_to", "has_mobile_number", "has_email", "mobile_number", "email", "is_allow");

    static Expected model(java.util.Collection<Model> codes, List<String[]> list, Instant now) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String[] p : list) {
            params.put(p[0], p[1]); // the last value of a repeated parameter counts
        }
        Map<String, List<String>> errors = new LinkedHashMap<>();
        List<java.util.function.Predicate<Model>> keep = new ArrayList<>();
        for (String name : FILTERS) {
            String raw = params.get(name);
            if (raw == null) {
                continue;
            }
            String text = raw.strip();
            switch (name) {
                case "id_min", "id_max" -> {
                    if (text.isEmpty()) {
                        break;
                    }
                    // Python's Decimal (underscores ignored), then int() for the integer column: toward zero
                    BigDecimal bound;
                    try {
                        BigDecimal decimal = new BigDecimal(text.replace("_", ""));
                        bound = decimal.precision() - decimal.scale() <= 0 ? BigDecimal.ZERO
                                : decimal.setScale(0, RoundingMode.DOWN);
                    } catch (NumberFormatException e) {
                        errors.put(name, List.of(Messages.INVALID_NUMBER));
                        break;
                    }
                    boolean min = name.equals("id_min");
                    keep.add(c -> BigDecimal.valueOf(c.id()).compareTo(bound) * (min ? 1 : -1) >= 0);
                }
                case "created_date", "updated_date", "created_from", "updated_from", "created_to", "updated_to" -> {
                    if (text.isEmpty()) {
                        break;
                    }
                    LocalDate day;
                    try {
                        // Python's date has no year 0
                        day = text.matches("\\d{4}-\\d{2}-\\d{2}") && !text.startsWith("0000") ? LocalDate.parse(text) : null;
                    } catch (DateTimeParseException e) {
                        day = null;
                    }
                    if (day == null) {
                        errors.put(name, List.of(Messages.INVALID_DATE));
                        break;
                    }
                    LocalDate d = day;
                    Function<Model, LocalDate> of = name.startsWith("created")
                            ? c -> c.createdAt().atOffset(ZoneOffset.UTC).toLocalDate()
                            : c -> c.updatedAt().atOffset(ZoneOffset.UTC).toLocalDate();
                    keep.add(name.endsWith("_date") ? c -> of.apply(c).equals(d)
                            : name.endsWith("_from") ? c -> !of.apply(c).isBefore(d) : c -> !of.apply(c).isAfter(d));
                }
                case "has_mobile_number", "has_email", "is_allow" -> {
                    if (raw.isEmpty()) {
                        break;
                    }
                    Boolean value = switch (raw.toLowerCase(Locale.ROOT)) {
                        case "true", "1" -> true;
                        case "false", "0" -> false;
                        default -> null;
                    };
                    if (value == null) {
                        errors.put(name, List.of(Messages.INVALID_BOOLEAN));
                        break;
                    }
                    keep.add(switch (name) {
                        case "has_mobile_number" -> c -> (c.mobile() != null) == value;
                        case "has_email" -> c -> (c.email() != null) == value;
                        default -> c -> c.validTo().isAfter(now) == value;
                    });
                }
                default -> { // mobile_number, email
                    if (text.isEmpty()) {
                        break;
                    }
                    if (text.contains("\u0000")) {
                        errors.put(name, List.of(Messages.NULL_CHARACTERS));
                        break;
                    }
                    if (name.equals("mobile_number")) {
                        String number = IranianMobileNumber.normalize(text).orElse(text);
                        keep.add(c -> number.equals(c.mobile()));
                    } else {
                        keep.add(c -> c.email() != null && c.email().equalsIgnoreCase(text));
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            return new Expected(400, errors, 0, null, true, true);
        }
        String search = params.get("search");
        if (search != null && search.contains("\u0000")) {
            return new Expected(400, List.of(Messages.NULL_CHARACTERS), 0, null, true, true);
        }
        List<String> terms = searchTerms(search);
        List<Model> matching = codes.stream()
                .filter(c -> c.expiresAt() > now.getEpochSecond())
                .filter(c -> keep.stream().allMatch(k -> k.test(c)))
                .filter(c -> terms.stream().allMatch(t -> found(c, t)))
                .sorted(ordering(params.get("ordering")))
                .toList();
        int limit = pythonInt(params.get("limit")).filter(n -> n.signum() > 0)
                .map(n -> n.min(BigInteger.valueOf(1000)).intValue()).orElse(100);
        int offset = pythonInt(params.get("offset")).filter(n -> n.signum() >= 0)
                .map(n -> n.min(BigInteger.valueOf(Integer.MAX_VALUE)).intValue()).orElse(0);
        List<Long> ids = matching.stream().skip(offset).limit(limit).map(Model::id).toList();
        return new Expected(200, null, matching.size(), ids, offset == 0, (long) offset + limit >= matching.size());
    }

    private static Optional<BigInteger> pythonInt(String text) {
        return text == null ? Optional.empty() : PythonInt.parse(text);
    }

    /**
     * The generated searches only: Unicode blanks and commas split, a double-quoted phrase stays
     * whole, a lone quote is an empty term.
     */
    private static List<String> searchTerms(String search) {
        List<String> terms = new ArrayList<>();
        if (search == null) {
            return terms;
        }
        Matcher m = Pattern.compile("\"([^\"]*)\"|[^\\s,]+", Pattern.UNICODE_CHARACTER_CLASS).matcher(search);
        while (m.find()) {
            String term = m.group(1) != null ? m.group(1) : m.group();
            terms.add(term.equals("\"") || term.equals("'") ? "" : term);
        }
        return terms;
    }

    private static boolean found(Model c, String term) {
        String t = upper(term);
        return Long.toString(c.code()).contains(t)
                || (c.mobile() != null && upper(c.mobile()).contains(t))
                || (c.email() != null && upper(c.email()).contains(t));
    }

    /** PostgreSQL's UPPER(): each character on its own ("ß" stays "ß"). */
    private static String upper(String text) {
        return text.codePoints().map(Character::toUpperCase)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private static final Map<String, Function<Model, Comparable<?>>> ORDER_KEYS = Map.of(
            "id", Model::id, "code", Model::code, "mobile_number", Model::mobile, "email", Model::email,
            "ttl", Model::validTo, "valid_to", Model::validTo, "created_at", Model::createdAt, "updated_at", Model::updatedAt);

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparator<Model> ordering(String param) {
        Comparator<Model> order = null;
        if (param != null) {
            for (String raw : param.split(",", -1)) {
                String term = raw.strip();
                boolean descending = term.startsWith("-");
                Function<Model, Comparable<?>> key = ORDER_KEYS.get(descending ? term.substring(1) : term);
                if (key == null) {
                    continue;
                }
                // PostgreSQL: nulls last ascending, first descending
                Comparator<Model> next = Comparator.comparing(c -> (Comparable) key.apply(c),
                        Comparator.nullsLast(Comparator.naturalOrder()));
                next = descending ? next.reversed() : next;
                order = order == null ? next : order.thenComparing(next);
            }
        }
        Comparator<Model> byId = Comparator.comparingLong(Model::id);
        return order == null ? byId : order.thenComparing(byId);
    }
}
