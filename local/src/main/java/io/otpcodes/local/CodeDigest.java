package io.otpcodes.local;

import io.otpcodes.domain.OtpCode;
import io.otpcodes.domain.Timestamps;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@code import codes --verify} compares between a file and the table: the codes by day of
 * creation and by kind of recipient, and a checksum of (id, code, recipient, valid_to,
 * updated_at) that does not depend on the order the codes are read in (the sum of each code's
 * hash), also per coarse bucket of ids, so that a difference is said with the ids it is in.
 */
final class CodeDigest {

    private long count;
    private long mobile;
    private long email;
    private long checksum;
    private final TreeMap<Long, Long> perDay = new TreeMap<>();
    private final TreeMap<Long, long[]> perBucket = new TreeMap<>();
    private final long bucketSize;

    CodeDigest(long bucketSize) {
        this.bucketSize = bucketSize;
    }

    synchronized void add(OtpCode code) {
        long hash = hash(code);
        count++;
        if (code.mobileNumber() != null) {
            mobile++;
        } else {
            email++;
        }
        checksum += hash;
        perDay.merge(Math.floorDiv(Timestamps.toEpochMicros(code.createdAt()), 86_400_000_000L), 1L, Long::sum);
        long[] bucket = perBucket.computeIfAbsent(Math.floorDiv(code.id(), bucketSize), b -> new long[2]);
        bucket[0]++;
        bucket[1] += hash;
    }

    long count() {
        return count;
    }

    /** What differs from {@code table}, one line each; empty when the two are equal. */
    List<String> differences(CodeDigest table) {
        List<String> out = new ArrayList<>();
        if (count != table.count) {
            out.add(String.format(Locale.ROOT, "codes: file %,d, table %,d", count, table.count));
        }
        if (mobile != table.mobile || email != table.email) {
            out.add(String.format(Locale.ROOT, "by recipient: file %,d mobile / %,d e-mail, table %,d / %,d", mobile, email,
                    table.mobile, table.email));
        }
        for (Long day : union(perDay, table.perDay)) {
            long file = perDay.getOrDefault(day, 0L);
            long stored = table.perDay.getOrDefault(day, 0L);
            if (file != stored) {
                out.add(String.format(Locale.ROOT, "created on %s: file %,d, table %,d", java.time.LocalDate.ofEpochDay(day), file, stored));
            }
        }
        if (checksum != table.checksum) {
            out.add(String.format(Locale.ROOT, "checksum: file %016x, table %016x", checksum, table.checksum));
            for (Long bucket : union(perBucket, table.perBucket)) {
                long[] file = perBucket.getOrDefault(bucket, new long[2]);
                long[] stored = table.perBucket.getOrDefault(bucket, new long[2]);
                if (file[0] != stored[0] || file[1] != stored[1]) {
                    out.add(String.format(Locale.ROOT, "  ids %d-%d: file %,d codes, table %,d, checksums %s", bucket * bucketSize,
                            bucket * bucketSize + bucketSize - 1, file[0], stored[0], file[1] == stored[1] ? "equal" : "differ"));
                }
            }
        }
        return out;
    }

    /** One line for the report: what both sides hold when they are equal. */
    String summary() {
        return String.format(Locale.ROOT, "%,d codes (%,d mobile, %,d e-mail) created on %,d days, checksum %016x", count, mobile,
                email, perDay.size(), checksum);
    }

    private static <V> TreeSet<Long> union(Map<Long, V> a, Map<Long, V> b) {
        TreeSet<Long> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    static long hash(OtpCode code) {
        String canonical = code.id() + "\t" + code.code() + "\t" + code.recipient() + "\t"
                + Timestamps.toEpochMicros(code.validTo()) + "\t" + Timestamps.toEpochMicros(code.updatedAt());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            long hash = 0;
            for (int i = 0; i < 8; i++) {
                hash = (hash << 8) | (digest[i] & 0xff);
            }
            return hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
