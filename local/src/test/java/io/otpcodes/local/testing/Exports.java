package io.otpcodes.local.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** CSV files as psql's {@code \copy ... CSV HEADER} writes them, for the import's tests. */
public final class Exports {

    private Exports() {
    }

    /** A file of {@code rows} under {@code header}, quoted where RFC 4180 needs it (a comma, a quote, a newline). */
    public static Path write(Path dir, String name, List<String> header, List<List<String>> rows) {
        Path file = dir.resolve(name);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                CSVPrinter printer = CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new)).get().print(writer)) {
            for (List<String> row : rows) {
                printer.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A file of this exact text: for the forms a library would not write (psql's bare NULL, a broken header). */
    public static Path text(Path dir, String name, String text) {
        Path file = dir.resolve(name);
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
