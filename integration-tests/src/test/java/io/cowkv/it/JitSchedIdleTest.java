package io.cowkv.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code jit-sched-idle}: a started server's JIT compiler threads run under SCHED_IDLE (policy 5
 * in /proc), and with {@code no} under the default policy (0).
 */
class JitSchedIdleTest {
    private static final int SCHED_IDLE = 5;

    /** Policies of the server's compiler threads, read from /proc/<pid>/task/<tid>/stat (field 41). */
    private static List<Integer> compilerThreadPolicies(ServerProcess server) throws IOException {
        long pid;
        try (RespConnection c = new RespConnection(server)) {
            String info = new String(c.call("INFO", "server"), StandardCharsets.UTF_8);
            pid = Long.parseLong(info.lines().filter(l -> l.startsWith("process_id:")).findFirst().orElseThrow()
                    .substring("process_id:".length()).trim());
        }
        List<Integer> policies = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String comm = Files.readString(t.resolve("comm")).strip();
                if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                    policies.add(Integer.parseInt(f[41 - 3]));
                }
            }
        }
        return policies;
    }

    @Test
    void theServersCompilerThreadsRunUnderSchedIdleByDefault() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
        try (CowKvProcess server = new CowKvProcess()) {
            server.start();
            List<Integer> policies = compilerThreadPolicies(server);
            assertThat(policies).as("C1 and C2 threads").isNotEmpty().allMatch(p -> p == SCHED_IDLE);
            assertThat(server.output()).contains(policies.size() + " JIT compiler threads set to SCHED_IDLE");
        }
    }

    @Test
    void noLeavesThemUnderTheDefaultPolicy() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
        try (CowKvProcess server = new CowKvProcess("--jit-sched-idle", "no")) {
            server.start();
            assertThat(compilerThreadPolicies(server)).isNotEmpty().allMatch(p -> p == 0);
            assertThat(server.output()).doesNotContain("SCHED_IDLE");
        }
    }
}
