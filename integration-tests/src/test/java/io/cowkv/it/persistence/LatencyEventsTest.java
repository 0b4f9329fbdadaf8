package io.cowkv.it.persistence;

import io.cowkv.it.RespConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The latency monitor end to end, on CowKV and on redis-server 7.0: a command slower than
 * latency-monitor-threshold (DEBUG SLEEP) becomes a "command" event in LATENCY LATEST and
 * HISTORY, a fast command does not, RESET clears it. The times differ between runs, so the
 * script compares what they must satisfy.
 */
class LatencyEventsTest {
    @TempDir
    Path cowDir;
    @TempDir
    Path redisDir;

    /** RESP2 integers and bulk strings of a flat or nested array reply, in order. */
    private static List<String> atoms(String raw) {
        List<String> out = new ArrayList<>();
        String[] lines = raw.split("\r\n");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.startsWith(":")) {
                out.add(l.substring(1));
            } else if (l.startsWith("$") && !l.equals("$-1")) {
                out.add(lines[++i]);
            }
        }
        return out;
    }

    private static List<String> script(Node n) throws Exception {
        List<String> out = new ArrayList<>();
        try (RespConnection c = n.raw()) {
            out.add(c.callString("LATENCY", "LATEST"));
            out.add(c.callString("CONFIG", "SET", "latency-monitor-threshold", "20"));
            out.add(c.callString("DEBUG", "SLEEP", "0.05"));
            out.add(c.callString("SET", "k", "v")); // far below the threshold: no event
            List<String> latest = atoms(c.callString("LATENCY", "LATEST"));
            // [event, unix time, latest ms, max ms]
            out.add("latest: " + latest.size() + " fields, event " + latest.get(0));
            out.add("latest >= 50 ms: " + (Long.parseLong(latest.get(2)) >= 50) + ", max >= latest: "
                    + (Long.parseLong(latest.get(3)) >= Long.parseLong(latest.get(2))));
            out.add("time is now: " + (Math.abs(Long.parseLong(latest.get(1)) - System.currentTimeMillis() / 1000) <= 5));
            List<String> history = atoms(c.callString("LATENCY", "HISTORY", "command"));
            out.add("history: " + history.size() + " fields, ms >= 50: " + (Long.parseLong(history.get(1)) >= 50));
            out.add(c.callString("LATENCY", "HISTORY", "fast-command"));
            out.add(c.callString("LATENCY", "RESET", "command", "nosuchevent"));
            out.add(c.callString("LATENCY", "LATEST"));
            out.add(c.callString("CONFIG", "SET", "latency-monitor-threshold", "0"));
            out.add(c.callString("DEBUG", "SLEEP", "0.05"));
            out.add(c.callString("LATENCY", "LATEST")); // the monitor is off again
        }
        return out;
    }

    @Test
    void aSlowCommandIsAnEventAsInRedis() throws Exception {
        List<String> cow = Node.sameOnBoth(cowDir, redisDir, LatencyEventsTest::script,
                "--save", "", "--enable-debug-command", "local");
        assertThat(cow).contains("latest: 4 fields, event command", "latest >= 50 ms: true, max >= latest: true",
                "time is now: true", "history: 2 fields, ms >= 50: true", ":1\r\n");
        assertThat(cow.get(0)).isEqualTo("*0\r\n");
    }
}
