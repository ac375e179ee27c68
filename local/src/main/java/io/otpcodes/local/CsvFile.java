package io.otpcodes.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * An export of the old service: UTF-8 CSV (RFC 4180, as psql's {@code \copy ... CSV HEADER}
 * writes it) with a header row, read one row at a time. Columns are found by name, in any
 * order; extra columns are ignored; a header that lacks a required column stops the import
 * before anything is written.
 */
final class CsvFile implements AutoCloseable {

    /** A file that cannot be imported at all: its header, its encoding, its quoting. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    /** One row: its fields by column name, and the line of the file it starts on. */
    record Row(long line, Map<String, String> fields) {

        /** The field, or null when the row is too short to have it. */
        String get(String column) {
            return fields.get(column);
        }
    }

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final Map<String, Integer> columns;
    private long nextLine = 2;

    private CsvFile(CSVParser parser, Map<String, Integer> columns) {
        this.parser = parser;
        this.records = parser.iterator();
        this.columns = columns;
    }

    /** Opens {@code file} and checks its header has every {@code required} column (names in any case). */
    static CsvFile open(Path file, List<String> required, List<String> optional) throws Unreadable {
        BufferedReader reader;
        try {
            // a byte that is not UTF-8 is an error, not a replacement character stored for ever
            reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        } catch (IOException e) {
            throw new Unreadable("cannot read " + file + ": " + e.getMessage());
        }
        try {
            CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreHeaderCase(true)
                    .setAllowMissingColumnNames(true).setIgnoreEmptyLines(true).get().parse(reader);
            Map<String, Integer> header = new java.util.HashMap<>();
            parser.getHeaderMap().forEach((name, index) -> header.put(stripBom(name).strip().toLowerCase(Locale.ROOT), index));
            List<String> missing = new ArrayList<>();
            for (String column : required) {
                if (!header.containsKey(column)) {
                    missing.add(column);
                }
            }
            if (!missing.isEmpty()) {
                parser.close();
                throw new Unreadable(file + ": the header row lacks the column" + (missing.size() > 1 ? "s " : " ")
                        + String.join(", ", missing) + " (it has: " + String.join(", ", parser.getHeaderNames()) + ")");
            }
            Map<String, Integer> columns = new java.util.HashMap<>();
            for (String column : required) {
                columns.put(column, header.get(column));
            }
            for (String column : optional) {
                if (header.containsKey(column)) {
                    columns.put(column, header.get(column));
                }
            }
            return new CsvFile(parser, columns);
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            close(reader);
            throw new Unreadable(file + ": no header row of column names (" + e.getMessage() + ")");
        }
    }

    /** The next row, or null at the end of the file. */
    Row next() throws Unreadable {
        try {
            if (!records.hasNext()) {
                return null;
            }
            CSVRecord record = records.next();
            long line = nextLine;
            nextLine = parser.getCurrentLineNumber() + 1;
            Map<String, String> fields = new java.util.HashMap<>();
            columns.forEach((name, index) -> fields.put(name, index < record.size() ? record.get(index) : null));
            return new Row(line, fields);
        } catch (UncheckedIOException | IllegalStateException e) {
            // a quote left open, or bytes that are not UTF-8: where it is, not what it holds
            throw new Unreadable("the file cannot be read past line " + nextLine + ": "
                    + (e.getCause() != null ? e.getCause().getClass().getSimpleName() : e.getClass().getSimpleName()));
        }
    }

    private static String stripBom(String name) {
        return name.startsWith("\uFEFF") ? name.substring(1) : name;
    }

    private static void close(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing more to tell
        }
    }

    @Override
    public void close() {
        close(parser);
    }
}
