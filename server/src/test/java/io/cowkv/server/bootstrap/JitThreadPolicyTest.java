package io.cowkv.server.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Which threads get SCHED_IDLE, failures reported rather than thrown, and the real libc call. */
class JitThreadPolicyTest {
    @TempDir
    Path tasks;

    private void task(String tid, String comm) throws IOException {
        Path t = Files.createDirectories(tasks.resolve(tid));
        Files.writeString(t.resolve("comm"), comm + "\n", StandardCharsets.UTF_8);
    }

    @Test
    void onlyTheCompilerThreadsAreChangedAndFailuresAreReported() throws Exception {
        task("101", "C2 CompilerThre");
        task("102", "C1 CompilerThre");
        task("103", "cowkv-main");
        task("104", "C2 CompilerThre");
        task("105", "VM Thread");
        Files.createDirectories(tasks.resolve("not-a-tid"));
        Files.createDirectories(tasks.resolve("106")); // ended: no comm any more
        List<Integer> asked = new ArrayList<>();
        JitThreadPolicy.Result r = JitThreadPolicy.apply(tasks, tid -> {
            asked.add(tid);
            if (tid == 104) {
                throw new IOException("sched_setscheduler: errno 1");
            }
        });
        assertThat(asked).containsExactlyInAnyOrder(101, 102, 104);
        assertThat(r.changed()).containsExactly(101, 102);
        assertThat(r.failures()).containsExactly("C2 CompilerThre (104): sched_setscheduler: errno 1");
        assertThat(r.toString()).isEqualTo("2 JIT compiler threads set to SCHED_IDLE; failed: "
                + "C2 CompilerThre (104): sched_setscheduler: errno 1");
    }

    @Test
    void aMissingTaskDirectoryIsAFailureNotAnException() {
        JitThreadPolicy.Result r = JitThreadPolicy.apply(tasks.resolve("absent"), tid -> { });
        assertThat(r.changed()).isEmpty();
        assertThat(r.failures()).singleElement().asString().startsWith("cannot list ");
    }

    @Test
    void thePolicyIsReadAfterANameWithSpacesAndParentheses() throws Exception {
        Path t = Files.createDirectories(tasks.resolve("7"));
        StringBuilder stat = new StringBuilder("7 (C2 (x) Thre) S");
        for (int field = 4; field <= 52; field++) {
            stat.append(' ').append(field == 41 ? 5 : field == 40 ? 99 : 0);
        }
        Files.writeString(t.resolve("stat"), stat + "\n", StandardCharsets.UTF_8);
        assertThat(JitThreadPolicy.policyOf(tasks, 7)).isEqualTo(5);
    }

    /** The real call, on a thread of this JVM found by its name, read back from /proc. */
    @Test
    void theLibcCallPutsAThreadOfThisProcessUnderSchedIdle() throws Exception {
        Path self = Path.of("/proc/self/task");
        assumeTrue(Files.isDirectory(self), "Linux only");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            started.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jit-policy-test");
        t.start();
        try {
            started.await();
            int tid = -1;
            for (int i = 0; i < 100 && tid < 0; i++) {
                try (var dir = Files.list(self)) {
                    for (Path p : (Iterable<Path>) dir::iterator) {
                        try {
                            if (Files.readString(p.resolve("comm")).strip().equals("jit-policy-test")) {
                                tid = Integer.parseInt(p.getFileName().toString());
                            }
                        } catch (IOException ended) {
                            // another thread ended while listed
                        }
                    }
                }
                if (tid < 0) {
                    Thread.sleep(10);
                }
            }
            assertThat(tid).as("the thread's native name in /proc").isPositive();
            assertThat(JitThreadPolicy.policyOf(self, tid)).isZero(); // SCHED_OTHER
            JitThreadPolicy.LibC.scheduler().setIdle(tid);
            assertThat(JitThreadPolicy.policyOf(self, tid)).isEqualTo(JitThreadPolicy.SCHED_IDLE);
        } finally {
            done.countDown();
            t.join();
        }
    }
}
