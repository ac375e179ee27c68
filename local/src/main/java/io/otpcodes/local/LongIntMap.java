package io.otpcodes.local;

import java.util.Arrays;

/**
 * Ids to the line they were first seen on, without a box each (an import of 1,000,000 codes
 * keeps them in about 24 MB): open addressing, ids are positive so 0 marks a free slot.
 */
final class LongIntMap {

    private long[] keys = new long[1 << 16];
    private int[] values = new int[1 << 16];
    private int size;

    /** Puts {@code value} for {@code key} unless it has one; returns the value it had, or -1. */
    int putIfAbsent(long key, int value) {
        if (key <= 0) {
            throw new IllegalArgumentException("keys are positive");
        }
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int slot = slot(keys, key);
        if (keys[slot] == key) {
            return values[slot];
        }
        keys[slot] = key;
        values[slot] = value;
        size++;
        return -1;
    }

    private static int slot(long[] keys, long key) {
        int mask = keys.length - 1;
        int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        while (keys[slot] != 0 && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int slot = slot(keys, oldKeys[i]);
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
        Arrays.fill(oldKeys, 0);
    }
}
