package io.cowkv.client.load;

import java.io.PrintStream;

/**
 * The live progress line: rewritten in place ({@code \r}) on a terminal, one line every few
 * seconds otherwise (logs, CI). Called from the scenario thread only.
 */
public final class Progress {
    private final PrintStream out;
    private final boolean enabled;
    private final boolean terminal;
    private long lastPrint;
    private int lastLen;

    public Progress(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
        this.terminal = System.console() != null;
    }

    public void update(String line) {
        if (!enabled) return;
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastPrint < 200_000_000L) return;
            lastPrint = now;
            String pad = line.length() < lastLen ? " ".repeat(lastLen - line.length()) : "";
            out.print("\r" + line + pad);
            lastLen = line.length();
        } else {
            if (lastPrint != 0 && now - lastPrint < 2_000_000_000L) return;
            lastPrint = now;
            out.println(line);
        }
        out.flush();
    }

    /** Ends the current line (terminal) so the next output starts clean. */
    public void finish(String line) {
        if (!enabled) return;
        if (terminal) {
            String pad = line.length() < lastLen ? " ".repeat(lastLen - line.length()) : "";
            out.println("\r" + line + pad);
            lastLen = 0;
        } else {
            out.println(line);
        }
        lastPrint = 0;
        out.flush();
    }

    static String bytes(long b) {
        if (b < 0) return "-";
        if (b < 1024) return b + "B";
        if (b < 1024 * 1024) return String.format(java.util.Locale.ROOT, "%.1fKiB", b / 1024.0);
        if (b < 1024L * 1024 * 1024) return String.format(java.util.Locale.ROOT, "%.1fMiB", b / 1048576.0);
        return String.format(java.util.Locale.ROOT, "%.2fGiB", b / 1073741824.0);
    }
}
