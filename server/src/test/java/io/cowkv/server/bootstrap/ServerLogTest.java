package io.cowkv.server.bootstrap;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The asynchronous log: Redis's line format, every line written by flush(), each thread's lines in order. */
class ServerLogTest {
    private static final Pattern LINE = Pattern.compile(
            "(\\d+):M \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} ([.*#-]) (.*)");

    @Test
    void linesFromSeveralThreadsAreAllWrittenInTheirOrderByFlush() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream before = ServerLog.redirect(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        ServerLog.Level levelBefore = ServerLog.threshold(ServerLog.Level.NOTICE);
        try {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int id = t;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 2000; i++) {
                        if (i % 2 == 0) {
                            ServerLog.notice("t" + id + " line " + i);
                        } else {
                            ServerLog.warning("t" + id + " line " + i);
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread th : threads) {
                th.join();
            }
            ServerLog.debug("below the threshold: not written");
            ServerLog.flush();
            String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
            assertThat(lines).hasSize(6000);
            int[] next = new int[3];
            for (String line : lines) {
                Matcher m = LINE.matcher(line);
                assertThat(m.matches()).as(line).isTrue();
                assertThat(Long.parseLong(m.group(1))).isEqualTo(ProcessHandle.current().pid());
                String[] words = m.group(3).split(" ");
                int t = Integer.parseInt(words[0].substring(1));
                int i = Integer.parseInt(words[2]);
                assertThat(i).as("thread %d's lines in order", t).isEqualTo(next[t]);
                assertThat(m.group(2)).isEqualTo(i % 2 == 0 ? "*" : "#");
                next[t]++;
            }
        } finally {
            ServerLog.redirect(before);
            ServerLog.threshold(levelBefore);
        }
    }
}
