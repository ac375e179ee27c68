package io.otpcodes.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The import's progress: rows, rate and time left, at most once an interval, on a clock the test moves. */
class ProgressTest {

    private final AtomicLong nanos = new AtomicLong();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Progress progress(boolean terminal) {
        return new Progress(new PrintStream(err, true, StandardCharsets.UTF_8), terminal, 10_000, 5_000, nanos::get);
    }

    @Test
    void elsewhereThanATerminal_printsALineAnInterval_withRateAndTimeLeft() {
        Progress progress = progress(false);

        progress.update(100);
        nanos.set(5_000_000_000L);
        progress.update(2_500);
        nanos.set(6_000_000_000L);
        progress.update(3_000);

        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("2,500 of 10,000 rows (25%), 500 rows/s, about 15s left\n");
    }

    @Test
    void onATerminal_rewritesOneLine_andEndsIt() {
        Progress progress = progress(true);

        nanos.set(5_000_000_000L);
        progress.update(5_000);
        progress.finish();

        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("\r5,000 of 10,000 rows (50%), 1,000 rows/s, about 5s left")
                .endsWith("\n");
    }

    @Test
    void longWaits_areSaidInMinutesAndHours() {
        assertThat(Progress.duration(59)).isEqualTo("59s");
        assertThat(Progress.duration(125)).isEqualTo("2m05s");
        assertThat(Progress.duration(3 * 3600 + 7 * 60)).isEqualTo("3h07m");
    }
}
