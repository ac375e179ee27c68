package io.otpcodes.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What every probe JVM reports on its last line: its peak resident memory. */
public final class Probes {

    private Probes() {
    }

    /** VmHWM of this process, in KiB (Linux). */
    public static long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    public static void report() {
        System.out.println("rss_kib=" + peakRssKib());
    }
}
