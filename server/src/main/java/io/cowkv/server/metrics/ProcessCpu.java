package io.cowkv.server.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's CPU time split into user and system time, as Redis's getrusage(RUSAGE_SELF). */
public final class ProcessCpu {
    /** USER_HZ: the unit of utime and stime in /proc/<pid>/stat (100 on every Linux). */
    private static final long TICK_NANOS = 10_000_000L;

    private ProcessCpu() {
    }

    /**
     * {user, system} CPU time of the whole process in nanoseconds, from /proc/self/stat (10 ms
     * resolution); where that file does not exist, the JVM's total process CPU time as user time.
     */
    public static long[] userAndSystemNanos() {
        try {
            String stat = new String(Files.readAllBytes(Path.of("/proc/self/stat")), StandardCharsets.US_ASCII);
            // fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            // f[0] is field 3 (state): utime is field 14, stime field 15
            return new long[]{Long.parseLong(f[11]) * TICK_NANOS, Long.parseLong(f[12]) * TICK_NANOS};
        } catch (IOException | RuntimeException e) {
            var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long total = os instanceof com.sun.management.OperatingSystemMXBean
                    ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : 0;
            return new long[]{Math.max(0, total), 0};
        }
    }
}
