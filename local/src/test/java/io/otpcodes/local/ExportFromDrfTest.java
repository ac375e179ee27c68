package io.otpcodes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.otpcodes.json.Json;
import io.otpcodes.local.testing.ApiCalls;
import io.otpcodes.local.testing.LocalDynamoDb;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's export, end to end: a PostgreSQL holding Django's auth tables, DRF's tokens and
 * the OTP model's table, exported by {@code docs/export-from-drf.sql} through psql, then both
 * files imported and read back through the local runtime. Runs where PostgreSQL's server is
 * installed (Debian's {@code postgresql} package); skipped elsewhere, as it needs a server the
 * JDK and Maven do not bring.
 */
class ExportFromDrfTest {

    private static final String SCHEMA = String.join("\n",
            "CREATE TABLE auth_user (id serial PRIMARY KEY, username varchar(150) UNIQUE NOT NULL, is_active bool NOT NULL,",
            "  is_staff bool NOT NULL, is_superuser bool NOT NULL);",
            "CREATE TABLE django_content_type (id serial PRIMARY KEY, app_label varchar(100), model varchar(100));",
            "CREATE TABLE auth_permission (id serial PRIMARY KEY, name varchar(255), content_type_id int, codename varchar(100));",
            "CREATE TABLE auth_group (id serial PRIMARY KEY, name varchar(150));",
            "CREATE TABLE auth_group_permissions (id serial PRIMARY KEY, group_id int, permission_id int);",
            "CREATE TABLE auth_user_groups (id serial PRIMARY KEY, user_id int, group_id int);",
            "CREATE TABLE auth_user_user_permissions (id serial PRIMARY KEY, user_id int, permission_id int);",
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamptz, user_id int UNIQUE);",
            "CREATE TABLE notifications_otpcode (id bigserial PRIMARY KEY, code int NOT NULL, mobile_number varchar(11),",
            "  email varchar(254), valid_to timestamptz NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);",
            "INSERT INTO auth_permission (name, content_type_id, codename) VALUES ('Can add', 7, 'add_otpcode'),",
            "  ('Can view', 7, 'view_otpcode'), ('Can change', 7, 'change_otpcode'), ('Can delete', 7, 'delete_otpcode');",
            "INSERT INTO auth_group (name) VALUES ('viewers');",
            "INSERT INTO auth_group_permissions (group_id, permission_id) VALUES (1, 2);",
            "INSERT INTO auth_user (username, is_active, is_staff, is_superuser) VALUES ('root', true, false, true),",
            "  ('ops', true, true, false), ('grouped', true, true, false), ('gone', false, true, true), ('plain', true, false, false);",
            "INSERT INTO auth_user_user_permissions (user_id, permission_id) VALUES (2, 1), (2, 3), (2, 4), (5, 2);",
            "INSERT INTO auth_user_groups (user_id, group_id) VALUES (3, 1);",
            "INSERT INTO authtoken_token VALUES",
            "  ('" + key(1) + "', now(), 1), ('" + key(2) + "', now(), 2), ('" + key(3) + "', now(), 3),",
            "  ('" + key(4) + "', now(), 4), ('" + key(5) + "', now(), 5);",
            // the old service's session wrote in its own zone; psql's export writes in the session's
            "SET TIME ZONE 'Asia/Tehran';",
            "INSERT INTO notifications_otpcode (id, code, mobile_number, email, valid_to, created_at, updated_at) VALUES",
            "  (41, 255315, '09123256545', NULL, '2099-01-01 10:00:00.5+00', '2026-12-07 07:22:08.599728+03:30',",
            "   '2026-12-07 08:27:50+03:30'),",
            "  (42, 7, NULL, 'Info@Example.com', '2099-01-01 10:00:00+00', '2026-12-07 07:22:08+03:30', '2026-12-07 07:22:08.1+03:30'),",
            "  (43, 9, '09120000000', NULL, '2020-01-01 00:00:00+00', '2019-12-31 00:00:00+00', '2019-12-31 00:00:00+00');",
            "");

    static String key(int n) {
        return String.format("%040x", n * 0x1234567L);
    }

    @Test
    void readmeExport_throughPsql_importsTokensAndCodesAsTheyWere() throws Exception {
        Optional<Path> bin = postgresBin();
        assumeTrue(bin.isPresent(), "PostgreSQL's server is not installed");
        Path dir = Files.createTempDirectory("otp-export");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        int port = LocalDynamoDb.freePort();
        Path data = dir.resolve("data");
        run(dir, bin.get().resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres");
        run(dir, bin.get().resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-l", dir.resolve("pg.log").toString(),
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=''", "start");
        try {
            Files.writeString(dir.resolve("schema.sql"), SCHEMA);
            Files.setPosixFilePermissions(dir.resolve("schema.sql"), PosixFilePermissions.fromString("rw-r--r--"));
            Path export = Path.of("..", "docs", "export-from-drf.sql").toAbsolutePath().normalize();
            Files.copy(export, dir.resolve("export.sql"));
            Files.setPosixFilePermissions(dir.resolve("export.sql"), PosixFilePermissions.fromString("rw-r--r--"));
            psql(dir, port, "schema.sql");
            psql(dir, port, "export.sql");

            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            try (LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Options(LocalDynamoDb.freePort(), 0,
                    LocalDynamoDb.freePort(), null, Map.of(), 0), new PrintStream(printed, true, StandardCharsets.UTF_8))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
                assertThat(Main.run(new String[] {"import", "tokens", dir.resolve("tokens.csv").toString(), "--endpoint-url",
                        runtime.dynamoDbEndpoint()}, new PrintStream(out, true, StandardCharsets.UTF_8), quiet)).as(out.toString()).isZero();
                assertThat(Main.run(new String[] {"import", "codes", dir.resolve("codes.csv").toString(), "--endpoint-url",
                        runtime.dynamoDbEndpoint()}, new PrintStream(out, true, StandardCharsets.UTF_8), quiet)).as(out.toString()).isZero();
                assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("imported +5\\b").containsPattern("imported +2\\b")
                        .containsPattern("skipped +1\\b");

                HttpClient http = HttpClient.newHttpClient();
                Map<String, Object> code = object(ApiCalls.send(http, "GET", runtime.apiUrl() + "41/", key(1), null).body());
                assertThat(code).containsEntry("valid_to", "2099-01-01T10:00:00.500000Z")
                        .containsEntry("created_at", "2026-12-07T03:52:08.599728Z").containsEntry("updated_at", "2026-12-07T04:57:50Z")
                        .containsEntry("mobile_number", "09123256545");
                assertThat(object(ApiCalls.send(http, "GET", runtime.apiUrl() + "42/", key(1), null).body()))
                        .containsEntry("email", "Info@Example.com").containsEntry("updated_at", "2026-12-07T03:52:08.100000Z");
                // root: superuser; ops: add and change; grouped: view through its group; gone: inactive; plain: not staff
                assertThat(access(http, runtime, key(1))).containsExactly(200, 201);
                assertThat(access(http, runtime, key(2))).containsExactly(403, 201);
                assertThat(access(http, runtime, key(3))).containsExactly(200, 403);
                assertThat(access(http, runtime, key(4))).containsExactly(401, 401);
                assertThat(access(http, runtime, key(5))).containsExactly(403, 403);
            }
        } finally {
            run(dir, bin.get().resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String json) {
        return (Map<String, Object>) Json.parse(json);
    }

    private static List<Integer> access(HttpClient http, LocalRuntime runtime, String key) throws Exception {
        return List.of(ApiCalls.send(http, "GET", runtime.apiUrl(), key, null).statusCode(),
                ApiCalls.send(http, "POST", runtime.apiUrl(), key, "{\"code\": 1, \"email\": \"a@b.ir\"}").statusCode());
    }

    private static void psql(Path dir, int port, String file) throws Exception {
        run(dir, "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", dir.toString(), "-p", Integer.toString(port), "-U", "postgres",
                "-f", file);
    }

    /** Runs a PostgreSQL command in {@code dir}, as the postgres user when this is root (the server refuses root). */
    private static void run(Path dir, String... command) throws Exception {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        Process process = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", full) + "\n" + output).isZero();
    }

    /** The folder of PostgreSQL's server programs, if installed. */
    private static Optional<Path> postgresBin() throws IOException {
        Path debian = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debian) || !Files.isExecutable(Path.of("/usr/bin/psql"))) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(debian)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Path::compareTo);
        }
    }
}
