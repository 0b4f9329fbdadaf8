package io.cowkv.client.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Text table, JSON and self-contained HTML (inline SVG, no script, no network) reports. */
public final class Reports {
    private Reports() {}

    /** Writes report.txt, report.json and report.html into {@code dir}; returns their paths. */
    public static List<Path> writeAll(Results.Report r, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path txt = dir.resolve("report.txt"), json = dir.resolve("report.json"), html = dir.resolve("report.html");
        Files.writeString(txt, text(r), StandardCharsets.UTF_8);
        Files.writeString(json, json(r), StandardCharsets.UTF_8);
        Files.writeString(html, html(r), StandardCharsets.UTF_8);
        return List.of(txt, json, html);
    }

    // ---------------------------------------------------------------- text

    public static String text(Results.Report r) {
        Results.Scenario s = r.scenario();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "cowkv-load  %s%n", s.startedAt()));
        sb.append(String.format(Locale.ROOT, "scenario: %d keys x %d B%s, %d connections x pipeline %d, %s, %s, writes %.0f%% of %d B, warm-up %.1fs, baseline %.1fs, samples every %d ms%n%n",
                s.keys(), s.valueSize(), s.skipFill() ? " (fill skipped)" : "", s.connections(), s.pipeline(),
                s.rate() > 0 ? String.format(Locale.ROOT, "%.0f ops/s (latency corrected for coordinated omission)", s.rate()) : "full speed",
                s.distribution(), s.writeRatio() * 100, s.writeValueSize(), s.warmupSeconds(), s.baselineSeconds(), s.sampleMs()));
        List<String[]> rows = new ArrayList<>();
        List<Results.ServerResult> sv = r.servers();
        rows.add(row("", sv, x -> x.label()));
        rows.add(row("address", sv, x -> x.address()));
        rows.add(row("server version", sv, x -> x.serverVersion()));
        rows.add(row("keys (dbsize)", sv, x -> Long.toString(x.dbsize())));
        rows.add(row("fill (keys/s)", sv, x -> x.fillSeconds() > 0 ? num(x.fillKeys() / x.fillSeconds()) : "skipped"));
        for (String ph : List.of("baseline", "save")) {
            String name = ph.equals("baseline") ? "before save" : "during save";
            rows.add(row(name + ": ops/s", sv, x -> num(phase(x, ph).throughput())));
            rows.add(row(name + ": p50 / p99", sv, x -> ScenarioRunner.ms(phase(x, ph).p50()) + " / " + ScenarioRunner.ms(phase(x, ph).p99())));
            rows.add(row(name + ": p99.9 / max", sv, x -> ScenarioRunner.ms(phase(x, ph).p999()) + " / " + ScenarioRunner.ms(phase(x, ph).max())));
            rows.add(row(name + ": errors", sv, x -> Long.toString(phase(x, ph).errors())));
        }
        rows.add(row("save duration (client)", sv, x -> String.format(Locale.ROOT, "%.2fs", x.saveDurationMs() / 1000.0)));
        rows.add(row("rdb_last_bgsave_time_sec", sv, x -> Long.toString(x.serverSaveSeconds())));
        rows.add(row("rdb_last_bgsave_status", sv, x -> x.saveStatus()));
        rows.add(row("latest_fork_usec", sv, x -> Long.toString(x.forkUsec())));
        rows.add(row("copied peak (current_cow_size)", sv, x -> Progress.bytes(x.cowPeakBytes())));
        rows.add(row("copied final (rdb_last_cow_size)", sv, x -> Progress.bytes(x.cowFinalBytes())));
        rows.add(row("used_memory before / peak", sv, x -> Progress.bytes(x.usedMemoryBefore()) + " / " + Progress.bytes(x.usedMemoryPeak())));
        rows.add(row("used_memory_rss before / peak", sv, x -> Progress.bytes(x.rssBefore()) + " / " + Progress.bytes(x.rssPeak())));
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] row : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], row[i].length());
        for (int ri = 0; ri < rows.size(); ri++) {
            String[] row = rows.get(ri);
            for (int i = 0; i < cols; i++) {
                sb.append(i == 0 ? String.format("%-" + w[i] + "s", row[i]) : "  " + String.format("%" + w[i] + "s", row[i]));
            }
            sb.append('\n');
            if (ri == 0) sb.append("-".repeat(java.util.Arrays.stream(w).sum() + 2 * (cols - 1))).append('\n');
        }
        for (Results.ServerResult x : sv) {
            if (x.firstError() != null) sb.append("first error on ").append(x.label()).append(": ").append(x.firstError()).append('\n');
        }
        sb.append("\nlatency: from send (full speed) or from the scheduled start (rate-limited); copied bytes as reported by the server.\n");
        return sb.toString();
    }

    private static Results.PhaseStats phase(Results.ServerResult x, String ph) {
        return ph.equals("baseline") ? x.baseline() : x.save();
    }

    private static String[] row(String name, List<Results.ServerResult> sv, java.util.function.Function<Results.ServerResult, String> f) {
        String[] r = new String[sv.size() + 1];
        r[0] = name;
        for (int i = 0; i < sv.size(); i++) r[i + 1] = f.apply(sv.get(i));
        return r;
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%,.0f", d);
    }

    // ---------------------------------------------------------------- JSON

    public static String json(Results.Report r) {
        return Json.write(toMap(r));
    }

    static Map<String, Object> toMap(Results.Report r) {
        Results.Scenario s = r.scenario();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("tool", "cowkv-load");
        root.put("format", 1);
        Map<String, Object> sc = new LinkedHashMap<>();
        sc.put("started_at", s.startedAt());
        sc.put("keys", s.keys());
        sc.put("value_size", s.valueSize());
        sc.put("skip_fill", s.skipFill());
        sc.put("connections", s.connections());
        sc.put("pipeline", s.pipeline());
        sc.put("rate", s.rate());
        sc.put("distribution", s.distribution());
        sc.put("write_ratio", s.writeRatio());
        sc.put("write_value_size", s.writeValueSize());
        sc.put("warmup_seconds", s.warmupSeconds());
        sc.put("baseline_seconds", s.baselineSeconds());
        sc.put("sample_ms", s.sampleMs());
        sc.put("seed", s.seed());
        root.put("scenario", sc);
        List<Object> servers = new ArrayList<>();
        for (Results.ServerResult x : r.servers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", x.label());
            m.put("address", x.address());
            m.put("server_version", x.serverVersion());
            m.put("dbsize", x.dbsize());
            m.put("fill", Map.of("keys", x.fillKeys(), "seconds", x.fillSeconds()));
            m.put("baseline", phaseMap(x.baseline()));
            m.put("save", phaseMap(x.save()));
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("duration_ms", x.saveDurationMs());
            b.put("rdb_last_bgsave_time_sec", x.serverSaveSeconds());
            b.put("rdb_last_bgsave_status", x.saveStatus());
            b.put("latest_fork_usec", x.forkUsec());
            b.put("cow_peak_bytes", x.cowPeakBytes());
            b.put("rdb_last_cow_size", x.cowFinalBytes());
            m.put("bgsave", b);
            Map<String, Object> mem = new LinkedHashMap<>();
            mem.put("used_memory_before", x.usedMemoryBefore());
            mem.put("used_memory_peak", x.usedMemoryPeak());
            mem.put("used_memory_rss_before", x.rssBefore());
            mem.put("used_memory_rss_peak", x.rssPeak());
            m.put("memory", mem);
            List<Object> samples = new ArrayList<>();
            for (Results.Sample smp : x.samples()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("t_ms", smp.tMs());
                o.put("phase", smp.phase());
                o.putAll(smp.values());
                samples.add(o);
            }
            m.put("samples", samples);
            List<Object> lat = new ArrayList<>();
            for (Results.LatencyPoint p : x.latency()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("t_ms", p.tMs());
                o.put("phase", p.phase());
                o.put("count", p.count());
                o.put("p50_us", p.p50());
                o.put("p99_us", p.p99());
                o.put("max_us", p.max());
                lat.add(o);
            }
            m.put("latency", lat);
            m.put("first_error", x.firstError());
            servers.add(m);
        }
        root.put("servers", servers);
        return root;
    }

    private static Map<String, Object> phaseMap(Results.PhaseStats p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ops", p.ops());
        m.put("writes", p.writes());
        m.put("errors", p.errors());
        m.put("seconds", p.seconds());
        m.put("ops_per_sec", p.throughput());
        m.put("latency_us", new LinkedHashMap<>(Map.of("p50", p.p50(), "p99", p.p99(), "p999", p.p999(), "max", p.max())));
        return m;
    }

    // ---------------------------------------------------------------- HTML

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

    /** A line on a chart: points are (seconds relative to BGSAVE, value). */
    record Series(String name, String color, boolean dashed, List<double[]> points) {}

    public static String html(Results.Report r) {
        List<Series> cow = new ArrayList<>(), mem = new ArrayList<>(), lat = new ArrayList<>(), ops = new ArrayList<>();
        int i = 0;
        for (Results.ServerResult x : r.servers()) {
            String c = COLORS[i++ % COLORS.length];
            cow.add(new Series(x.label() + " current_cow_size", c, false, samplePoints(x, s -> s.get("current_cow_size") / 1048576.0)));
            mem.add(new Series(x.label() + " used_memory", c, false, samplePoints(x, s -> s.get("used_memory") / 1048576.0)));
            mem.add(new Series(x.label() + " used_memory_rss", c, true, samplePoints(x, s -> s.get("used_memory_rss") / 1048576.0)));
            lat.add(new Series(x.label() + " p99", c, false, latPoints(x, p -> p.p99() / 1000.0)));
            lat.add(new Series(x.label() + " p50", c, true, latPoints(x, p -> p.p50() / 1000.0)));
            ops.add(new Series(x.label() + " replies/s", c, false, latPoints(x, p -> p.count() / (r.scenario().sampleMs() / 1000.0))));
        }
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>cowkv-load report</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1000px}pre{background:#f6f6f6;padding:1em;overflow-x:auto}")
                .append("svg{background:#fff;border:1px solid #ddd;margin:.5em 0}.note{color:#555;font-size:90%}</style></head><body>\n")
                .append("<h1>cowkv-load: snapshot copy-on-write under write load</h1>\n")
                .append("<p class=\"note\">Time axis: seconds relative to the BGSAVE command (negative = baseline, no save running).</p>\n")
                .append("<pre>").append(esc(text(r))).append("</pre>\n");
        sb.append(chart("Copied bytes during the save (current_cow_size)", "MiB", cow));
        sb.append(chart("Memory (solid: used_memory, dashed: used_memory_rss)", "MiB", mem));
        sb.append(chart("Latency per sampling interval (solid: p99, dashed: p50)", "ms", lat));
        sb.append(chart("Throughput per sampling interval", "replies/s", ops));
        sb.append("<script type=\"application/json\" id=\"cowkv-load-data\">\n").append(json(r)).append("</script>\n");
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static List<double[]> samplePoints(Results.ServerResult x, ToDoubleFunction<Results.Sample> f) {
        List<double[]> pts = new ArrayList<>();
        for (Results.Sample s : x.samples()) {
            double v = f.applyAsDouble(s);
            if (v >= 0) pts.add(new double[] {s.tMs() / 1000.0, v});
        }
        return pts;
    }

    private static List<double[]> latPoints(Results.ServerResult x, ToDoubleFunction<Results.LatencyPoint> f) {
        List<double[]> pts = new ArrayList<>();
        for (Results.LatencyPoint p : x.latency()) if (p.count() > 0) pts.add(new double[] {p.tMs() / 1000.0, f.applyAsDouble(p)});
        return pts;
    }

    static String chart(String title, String unit, List<Series> series) {
        int w = 900, h = 300, left = 70, right = 20, top = 30, bottom = 40;
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y1 = 0;
        for (Series s : series) {
            for (double[] p : s.points()) {
                x0 = Math.min(x0, p[0]);
                x1 = Math.max(x1, p[0]);
                y1 = Math.max(y1, p[1]);
            }
        }
        if (x0 > x1) {
            x0 = -1;
            x1 = 1;
        }
        if (x1 - x0 < 1e-9) x1 = x0 + 1;
        double yStep = niceStep(y1 > 0 ? y1 : 1);
        y1 = Math.ceil((y1 > 0 ? y1 : 1) / yStep) * yStep;
        double xStep = niceStep(x1 - x0);
        final double fx0 = x0, fx1 = x1, fy1 = y1;
        java.util.function.DoubleUnaryOperator sx = v -> left + (v - fx0) / (fx1 - fx0) * (w - left - right);
        java.util.function.DoubleUnaryOperator sy = v -> top + (1 - v / fy1) * (h - top - bottom);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<h2>%s</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">\n",
                esc(title), w, h + 20 * ((series.size() + 1) / 2), w, h + 20 * ((series.size() + 1) / 2), esc(title)));
        sb.append("<g font-size=\"11\" fill=\"#333\">\n");
        for (double y = 0; y <= y1 + yStep / 2; y += yStep) {
            double py = sy.applyAsDouble(y);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    left, py, w - right, py, left - 5, py + 4, fmt(y)));
        }
        for (double x = Math.ceil(x0 / xStep) * xStep; x <= x1 + 1e-9; x += xStep) {
            double px = sx.applyAsDouble(x);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                    px, top, px, h - bottom, px, h - bottom + 15, fmt(x)));
        }
        if (x0 <= 0 && x1 >= 0) {
            double px = sx.applyAsDouble(0);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\" stroke-dasharray=\"2,3\"/><text x=\"%.1f\" y=\"%d\">BGSAVE</text>\n",
                    px, top, px, h - bottom, px + 3, top - 5));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">seconds from BGSAVE</text><text x=\"10\" y=\"%d\">%s</text>\n",
                (left + w - right) / 2, h - 5, top - 12, esc(unit)));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n",
                left, top, w - left - right, h - top - bottom));
        sb.append("</g>\n");
        int li = 0;
        for (Series s : series) {
            sb.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(s.color()).append('"');
            if (s.dashed()) sb.append(" stroke-dasharray=\"5,3\"");
            sb.append(" data-series=\"").append(esc(s.name())).append("\" points=\"");
            for (double[] p : s.points()) {
                sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", sx.applyAsDouble(p[0]), sy.applyAsDouble(p[1])));
            }
            sb.append("\"/>\n");
            int lx = left + (li % 2) * 420, ly = h + 5 + (li / 2) * 20;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/><text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>\n",
                    lx, ly, lx + 30, ly, s.color(), s.dashed() ? " stroke-dasharray=\"5,3\"" : "", lx + 36, ly + 4, esc(s.name())));
            li++;
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static double niceStep(double range) {
        double raw = range / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double n = raw / mag;
        return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
    }

    private static String fmt(double v) {
        if (Math.abs(v) >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        if (v == Math.rint(v)) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.3g", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
