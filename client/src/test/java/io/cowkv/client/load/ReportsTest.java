package io.cowkv.client.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {

    static Results.ServerResult server(String label, long cowStep) {
        List<Results.Sample> samples = new ArrayList<>();
        List<Results.LatencyPoint> lat = new ArrayList<>();
        for (int i = -5; i <= 10; i++) {
            String phase = i < 0 ? "baseline" : "save";
            samples.add(new Results.Sample(i * 100L, phase, Map.of(
                    "rdb_bgsave_in_progress", i < 0 || i == 10 ? 0L : 1L,
                    "current_cow_size", i < 0 ? 0L : i * cowStep,
                    "used_memory", 100_000_000L + i * 1000,
                    "used_memory_rss", 120_000_000L + i * 5000)));
            lat.add(new Results.LatencyPoint(i * 100L, phase, 1000 + i, 500, 2000 + i * 10, 9000));
        }
        return new Results.ServerResult(label, "127.0.0.1:1", "7.0.15", 1000, 0.5,
                new Results.PhaseStats("baseline", 5000, 5000, 0, 0.5, 400, 1900, 2500, 9000, 450.0),
                new Results.PhaseStats("save", 9000, 9000, 1, 1.0, 500, 2100, 3500, 9100, 600.5),
                1000, 1, "ok", 9 * cowStep, 10 * cowStep, 1234, 100_000_000L, 100_010_000L, 120_000_000L, 120_050_000L,
                1000, samples, lat, label.equals("b") ? "ERR \"quoted\" <tag>\n" : null);
    }

    static Results.Report report() {
        return new Results.Report(new Results.Scenario(1000, 512, false, 2, 4, 0, "hot:10", 1.0, 512, 0.5, 100, 42,
                "2026-01-01T00:00:00Z"), List.of(server("a", 4096), server("b", 8192)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonParsesAndHasTheFields() {
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(Reports.json(report()));
        assertThat(root.get("tool")).isEqualTo("cowkv-load");
        Map<String, Object> sc = (Map<String, Object>) root.get("scenario");
        assertThat(sc).containsEntry("keys", 1000.0).containsEntry("distribution", "hot:10");
        List<Object> servers = (List<Object>) root.get("servers");
        assertThat(servers).hasSize(2);
        Map<String, Object> b = (Map<String, Object>) servers.get(1);
        assertThat(b.get("first_error")).isEqualTo("ERR \"quoted\" <tag>\n");
        Map<String, Object> bgsave = (Map<String, Object>) b.get("bgsave");
        assertThat(bgsave).containsEntry("rdb_last_cow_size", 81920.0).containsEntry("latest_fork_usec", 1234.0)
                .containsEntry("cow_peak_bytes", 73728.0).containsEntry("rdb_last_bgsave_status", "ok");
        Map<String, Object> save = (Map<String, Object>) b.get("save");
        assertThat(((Map<String, Object>) save.get("latency_us"))).containsEntry("p999", 3500.0);
        assertThat(save).containsEntry("ops_per_sec", 9000.0);
        List<Object> samples = (List<Object>) b.get("samples");
        assertThat(samples).hasSize(16);
        assertThat((Map<String, Object>) samples.get(0)).containsEntry("t_ms", -500.0).containsEntry("phase", "baseline");
        assertThat((List<Object>) b.get("latency")).hasSize(16);
    }

    @Test
    void htmlIsSelfContainedAndCarriesTheChartData() {
        String html = Reports.html(report());
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        // no network: the only URL is the SVG namespace name, which is never fetched
        assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http:", "https:");
        assertThat(html).doesNotContain("<script src").doesNotContain("<link");
        assertThat(count(html, "<svg")).isEqualTo(4);
        // both servers on the same chart
        assertThat(html).contains("data-series=\"a current_cow_size\"", "data-series=\"b current_cow_size\"",
                "data-series=\"a used_memory_rss\"", "data-series=\"b p99\"");
        // every sample is a point of its line
        Matcher m = Pattern.compile("data-series=\"a current_cow_size\" points=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).isTrue();
        assertThat(m.group(1).trim().split(" ")).hasSize(16);
        // the embedded JSON is the report's and parses
        int s = html.indexOf("<script type=\"application/json\" id=\"cowkv-load-data\">");
        int e = html.indexOf("</script>", s);
        String json = html.substring(html.indexOf('>', s) + 1, e);
        assertThat(MiniJson.parse(json)).isEqualTo(MiniJson.parse(Reports.json(report())));
        assertThat(html).contains("copied final (rdb_last_cow_size)");
    }

    @Test
    void textTableHasBothServersSideBySide() {
        String t = Reports.text(report());
        assertThat(t).contains("before save: p50 / p99", "during save: p99.9 / max", "latest_fork_usec",
                "copied peak (current_cow_size)", "used_memory_rss before / peak");
        String header = t.lines().filter(l -> l.trim().startsWith("a")).findFirst().orElseThrow();
        assertThat(header).matches("\\s+a\\s+b");
    }

    @Test
    void writeAllWritesThreeFiles(@TempDir Path dir) throws Exception {
        List<Path> files = Reports.writeAll(report(), dir.resolve("out"));
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("report.txt", "report.json", "report.html");
        for (Path f : files) assertThat(Files.size(f)).isPositive();
    }

    static int count(String s, String sub) {
        int n = 0, i = 0;
        while ((i = s.indexOf(sub, i)) >= 0) { n++; i += sub.length(); }
        return n;
    }
}
