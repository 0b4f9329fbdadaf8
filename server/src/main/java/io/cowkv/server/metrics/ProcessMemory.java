package io.cowkv.server.metrics;

import java.io.IOException;
import java.nio.file.Path;

/** Process-level memory figures from the operating system. */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Resident set size in bytes (Linux /proc/self/statm); 0 where unavailable. One read, any thread. */
    public static long rss() {
        try (RssSampler once = new RssSampler()) {
            return once.sample();
        }
    }

    /** statm counts pages of this size (4 KiB on the Linux machines CowKV runs on). */
    private static final long PAGE_BYTES = 4096L;

    /**
     * Reads the resident set size again and again without allocating: /proc/self/statm stays open
     * and each sample is one positional read from offset 0 (which makes the kernel regenerate the
     * file) into a reused direct buffer. The cron samples RSS ten times a second on the event loop;
     * reading the file into a new string each time allocated about 7 KB per sample there. One thread
     * at a time; {@link #close} releases the file.
     */
    public static final class RssSampler implements AutoCloseable {
        private final java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(256);
        private java.nio.channels.FileChannel channel;
        private boolean unavailable;

        /** RSS in bytes, or 0 where /proc/self/statm cannot be read. */
        public long sample() {
            if (unavailable) {
                return 0;
            }
            try {
                if (channel == null) {
                    channel = java.nio.channels.FileChannel.open(Path.of("/proc/self/statm"));
                }
                buf.clear();
                while (buf.hasRemaining() && channel.read(buf, buf.position()) > 0) {
                    // short reads are allowed; the file is a few dozen bytes
                }
                return parseSecondField(buf, buf.position()) * PAGE_BYTES;
            } catch (IOException | RuntimeException e) {
                unavailable = true;
                close();
                return 0;
            }
        }

        /** The second space-separated decimal field of {@code b[0, end)} (statm: size resident ...). */
        static long parseSecondField(java.nio.ByteBuffer b, int end) {
            int i = 0;
            while (i < end && b.get(i) != ' ') {
                i++;
            }
            i++;
            long v = 0;
            int digits = 0;
            for (; i < end; i++) {
                int c = b.get(i) - '0';
                if (c < 0 || c > 9) {
                    break;
                }
                v = v * 10 + c;
                digits++;
            }
            if (digits == 0) {
                throw new IllegalArgumentException("no resident field in statm");
            }
            return v;
        }

        @Override
        public void close() {
            java.nio.channels.FileChannel c = channel;
            channel = null;
            if (c != null) {
                try {
                    c.close();
                } catch (IOException e) {
                    // a /proc file: nothing to flush, nothing to report
                }
            }
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
