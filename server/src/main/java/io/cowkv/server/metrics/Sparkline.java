package io.cowkv.server.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * ASCII sparklines, a port of Redis's sparkline.c (used by LATENCY GRAPH): a sequence of samples
 * with optional labels, rendered as {@code rows} lines of {@code _-`} (or, filled, {@code _o#}
 * with {@code |} below the top), then the labels written vertically under their columns after one
 * blank line. Wider sequences are cut into blocks of {@code columns} separated by an empty line.
 * The arithmetic (the int truncation of {@code relval*steps} before dividing) is C's, so the same
 * samples render the same characters. Not thread-safe; build, render, drop.
 */
public final class Sparkline {
    public static final int FILL = 1;
    public static final int LOG_SCALE = 2;
    private static final char[] CHARSET = {'_', '-', '`'};
    private static final char[] CHARSET_FILL = {'_', 'o', '#'};
    private static final int LABEL_MARGIN_TOP = 1;

    private final List<Double> values = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();
    private int labelCount;
    private double min;
    private double max;

    /** sparklineSequenceAddSample: {@code label} null or empty means no label. */
    public void add(double value, String label) {
        label = label == null || label.isEmpty() ? null : label;
        if (values.isEmpty()) {
            min = max = value;
        } else if (value < min) {
            min = value;
        } else if (value > max) {
            max = value;
        }
        values.add(value);
        labels.add(label);
        if (label != null) {
            labelCount++;
        }
    }

    /** sparklineRender: appends the rendering to {@code out} and returns it. */
    public StringBuilder render(StringBuilder out, int columns, int rows, int flags) {
        for (int j = 0; j < values.size(); j += columns) {
            int sublen = Math.min(values.size() - j, columns);
            if (j != 0) {
                out.append('\n');
            }
            renderRange(out, rows, j, sublen, flags);
        }
        return out;
    }

    private void renderRange(StringBuilder out, int rows, int offset, int len, int flags) {
        double relmax = max - min;
        int steps = CHARSET.length * rows;
        int row = 0;
        char[] chars = new char[len];
        boolean loop = true;
        boolean fill = (flags & FILL) != 0;
        boolean log = (flags & LOG_SCALE) != 0;
        if (log) {
            relmax = Math.log(relmax + 1);
        } else if (relmax == 0) {
            relmax = 1;
        }
        while (loop) {
            loop = false;
            java.util.Arrays.fill(chars, ' ');
            for (int j = 0; j < len; j++) {
                double relval = values.get(j + offset) - min;
                String label = labels.get(j + offset);
                if (log) {
                    relval = Math.log(relval + 1);
                }
                int step = (int) ((int) (relval * steps) / relmax); // C: (int) (relval*steps)/relmax
                if (step < 0) {
                    step = 0;
                }
                if (step >= steps) {
                    step = steps - 1;
                }
                if (row < rows) {
                    int charidx = step - ((rows - row - 1) * CHARSET.length);
                    loop = true;
                    if (charidx >= 0 && charidx < CHARSET.length) {
                        chars[j] = fill ? CHARSET_FILL[charidx] : CHARSET[charidx];
                    } else if (fill && charidx >= CHARSET.length) {
                        chars[j] = '|';
                    }
                } else {
                    if (labelCount > 0 && row - rows < LABEL_MARGIN_TOP) {
                        loop = true; // the blank line between the graph and the labels
                        break;
                    }
                    if (label != null) {
                        int labelChar = row - rows - LABEL_MARGIN_TOP;
                        if (label.length() > labelChar) {
                            loop = true;
                            chars[j] = label.charAt(labelChar);
                        }
                    }
                }
            }
            if (loop) {
                row++;
                out.append(chars).append('\n');
            }
        }
    }
}
