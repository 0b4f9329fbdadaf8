package io.cowkv.server.bootstrap;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the JVM's JIT compiler threads under Linux's {@code SCHED_IDLE} policy (config
 * {@code jit-sched-idle}), so that a compilation never keeps the event loop, or a client on the
 * same machine, waiting for a core.
 *
 * <p>Why: on a 2-core machine under load, the scheduler puts a woken client or event loop on the
 * core where a compiler thread runs and lets the compiler finish its 3-4 ms slice first, even
 * while the other core idles ({@code perf sched}, docs/benchmarks-cow.md, session 16). A
 * {@code SCHED_IDLE} thread is preempted as soon as any ordinary thread wants its core, and still
 * runs whenever a core is free; lowering the nice value to 19 did not do this (session 15).
 *
 * <p>Scope and contract: only threads named {@code C1 CompilerThre...}/{@code C2 CompilerThre...}
 * (HotSpot's names, cut to 15 characters by the kernel) are changed, once, at start-up; compiler
 * threads HotSpot adds later are created by a compiler thread and inherit the policy. Lowering a
 * thread's own process's policy needs no privilege. Anything that fails (not Linux, no JNA native
 * library, a container that forbids the call) is reported, never thrown: the server runs as
 * before. The cost: on a machine whose cores are all busy with ordinary threads, compilations
 * wait, and code stays at a lower tier for longer.
 */
final class JitThreadPolicy {
    /** Linux's SCHED_IDLE policy number ({@code sched.h}). */
    static final int SCHED_IDLE = 5;
    /** The kernel's thread names of HotSpot's C1 and C2 compiler threads (15 characters at most). */
    private static final List<String> COMPILER_THREAD_NAMES = List.of("C1 CompilerThre", "C2 CompilerThre");

    private JitThreadPolicy() {
    }

    /** Sets the scheduling policy of one thread of this process. */
    interface Scheduler {
        /** Puts thread {@code tid} under SCHED_IDLE; throws with the reason when it cannot. */
        void setIdle(int tid) throws IOException;
    }

    /** Threads changed, and a message per thread (or for the whole attempt) that failed. */
    record Result(List<Integer> changed, List<String> failures) {
        @Override
        public String toString() {
            return changed.size() + " JIT compiler threads set to SCHED_IDLE"
                    + (failures.isEmpty() ? "" : "; failed: " + String.join("; ", failures));
        }
    }

    /** Applies the policy to this process's compiler threads (Linux: {@code /proc/self/task}). */
    static Result applyToThisProcess() {
        Scheduler s;
        try {
            s = LibC.scheduler();
        } catch (LinkageError | RuntimeException e) {
            return new Result(List.of(), List.of("no native scheduler call: " + e));
        }
        return apply(Path.of("/proc/self/task"), s);
    }

    /** Applies the policy to the compiler threads listed under {@code tasks} (a {@code /proc/<pid>/task} directory). */
    static Result apply(Path tasks, Scheduler scheduler) {
        List<Integer> changed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                int tid;
                try {
                    tid = Integer.parseInt(task.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                String name;
                try {
                    name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                if (!COMPILER_THREAD_NAMES.contains(name)) {
                    continue;
                }
                try {
                    scheduler.setIdle(tid);
                    changed.add(tid);
                } catch (IOException e) {
                    failures.add(name + " (" + tid + "): " + e.getMessage());
                }
            }
        } catch (IOException e) {
            failures.add("cannot list " + tasks + ": " + e);
        }
        changed.sort(null);
        return new Result(List.copyOf(changed), List.copyOf(failures));
    }

    /**
     * The scheduling policy of thread {@code tid} of {@code tasks}: field 41 of its {@code stat}
     * file (proc(5)), counted after the name, which may hold spaces and parentheses.
     */
    static int policyOf(Path tasks, int tid) throws IOException {
        String stat = Files.readString(tasks.resolve(Integer.toString(tid)).resolve("stat"), StandardCharsets.UTF_8);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Integer.parseInt(fields[41 - 3]);
    }

    /**
     * libc's {@code sched_setscheduler} through JNA's direct mapping: written by hand because it is
     * one call, and neither the JDK (17) nor Netty or Chronicle expose it. JNA extracts its native
     * stub on first use; {@link #applyToThisProcess} turns a failure there into a reported one.
     */
    static final class LibC {
        static {
            // JNA extracts its stub under ~/.cache by default: the data volume in the Docker image
            // (HOME=/data). Keep it with the JVM's other temporary files.
            if (System.getProperty("jna.tmpdir") == null) {
                System.setProperty("jna.tmpdir", System.getProperty("java.io.tmpdir"));
            }
            Native.register(LibC.class, "c"); // a failure here is a LinkageError for the caller
        }

        private LibC() {
        }

        static Scheduler scheduler() {
            return tid -> {
                int[] param = {0}; // struct sched_param { int sched_priority; }: 0 for SCHED_IDLE
                try {
                    sched_setscheduler(tid, SCHED_IDLE, param);
                } catch (LastErrorException e) {
                    throw new IOException("sched_setscheduler: errno " + e.getErrorCode(), e);
                }
            };
        }

        private static native int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;
    }
}
