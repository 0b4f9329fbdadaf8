package io.cowkv.server.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process-level memory figures from the operating system. */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Resident set size in bytes (Linux /proc/self/statm); 0 where unavailable. */
    public static long rss() {
        try {
            String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(f[1]) * 4096L;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Total physical memory in bytes; 0 where unavailable. */
    public static long totalSystemMemory() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize();
        }
        return 0;
    }

    /** Redis's bytesToHuman: 1.50K, 2.00M, 1.00G ... */
    public static String human(long n) {
        double d = n;
        if (n < 1024) {
            return n + "B";
        }
        String[] units = {"K", "M", "G", "T", "P"};
        int u = -1;
        while (d >= 1024 && u < units.length - 1) {
            d /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.2f%s", d, units[u]);
    }
}
