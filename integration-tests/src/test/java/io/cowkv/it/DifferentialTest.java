package io.cowkv.it;

import io.cowkv.it.DiffScript.Mode;
import io.cowkv.it.DiffScript.Step;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends the scripts in {@code src/test/resources/differential/*.redis} to CowKV and to a real
 * redis-server, line by line over raw sockets, and compares the raw RESP replies. One dynamic
 * container per script, one dynamic test per command line, so a failure names the script,
 * line, command and both replies.
 *
 * <p>Each script gets fresh connections on both servers and starts with FLUSHALL. Server-wide
 * state that a script changes (CONFIG SET) must be restored by the script itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DifferentialTest {
    private static final String FOLDER = "differential";

    private ServerPair servers;
    private CowKvProcess cowkv;
    private RedisProcess redis;

    @BeforeAll
    void startServers() throws Exception {
        // DEBUG is compared too (debug.redis): allowed from loopback on both servers
        // Netty's leak detector on for CowKV, checked when the scripts are done
        servers = ServerPair.startWithLeakDetection("--enable-debug-command", "local");
        cowkv = servers.cowkv;
        redis = servers.redis;
    }

    @AfterAll
    void stopServers() throws Exception {
        if (servers != null) {
            servers.closeAfterLeakCheck();
        }
    }

    @TestFactory
    Stream<DynamicNode> scripts() throws IOException, URISyntaxException {
        List<Path> files = scriptFiles();
        assertThat(files).as("differential scripts").isNotEmpty();
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path f : files) {
            nodes.add(container(DiffScript.load(f)));
        }
        return nodes.stream();
    }

    static List<Path> scriptFiles() throws IOException, URISyntaxException {
        URL url = DifferentialTest.class.getClassLoader().getResource(FOLDER);
        assertThat(url).as("test resource folder " + FOLDER).isNotNull();
        try (Stream<Path> s = Files.list(Path.of(url.toURI()))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".redis"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
    }

    private DynamicContainer container(DiffScript script) {
        Run run = new Run(script.name);
        List<DynamicNode> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("connect + FLUSHALL", run::open));
        for (Step step : script.steps) {
            String label = step.lineNo() + ": " + abbreviate(step.text());
            tests.add(DynamicTest.dynamicTest(label, () -> run.step(step)));
        }
        tests.add(DynamicTest.dynamicTest("servers alive, disconnect", run::finish));
        return DynamicContainer.dynamicContainer(script.name, tests);
    }

    private static String abbreviate(String s) {
        return s.length() <= 70 ? s : s.substring(0, 67) + "...";
    }

    /** One script's connections and progress. Steps run in order on the test thread. */
    private final class Run {
        private final String script;
        private RespConnection c;
        private RespConnection r;
        private String broken;

        Run(String script) {
            this.script = script;
        }

        void open() throws IOException {
            try {
                c = new RespConnection(cowkv);
                r = new RespConnection(redis);
                assertThat(Resp.escape(c.call("FLUSHALL"))).as("cowkv FLUSHALL").isEqualTo("+OK\\r\\n");
                assertThat(Resp.escape(r.call("FLUSHALL"))).as("redis FLUSHALL").isEqualTo("+OK\\r\\n");
            } catch (IOException | AssertionError e) {
                broken = "setup failed: " + e;
                throw e;
            }
        }

        void step(Step step) throws IOException {
            String where = script + ":" + step.lineNo() + ": " + step.text();
            if (step.error() != null) {
                throw new AssertionFailedError(where + "\n  script error: " + step.error());
            }
            Assumptions.assumeTrue(broken == null, () -> "skipped, the script's connections broke earlier: " + broken);
            byte[] mine;
            byte[] theirs;
            try {
                if (step.mode() == Mode.SCAN_ALL) {
                    mine = scanAll(c, step, "cowkv", where);
                    theirs = scanAll(r, step, "redis", where);
                } else {
                    c.send(step.args());
                    r.send(step.args());
                    if (step.mode() == Mode.NOREPLY) {
                        return;
                    }
                    mine = read(c, "cowkv", where);
                    theirs = read(r, "redis", where);
                }
            } catch (IOException e) {
                broken = where + ": " + e;
                throw e;
            }
            String problem = compare(step.mode(), mine, theirs);
            if (problem != null) {
                throw new AssertionFailedError(where + "\n  " + problem
                        + "\n  cowkv: \"" + Resp.escape(mine) + "\""
                        + "\n  redis: \"" + Resp.escape(theirs) + "\"",
                        Resp.escape(theirs), Resp.escape(mine));
            }
        }

        private byte[] scanAll(RespConnection conn, Step step, String who, String where) throws IOException {
            try {
                return DiffScanAll.run(conn, step.args());
            } catch (IOException e) {
                throw new IOException(who + " failed a full iteration of " + where + ": " + e.getMessage(), e);
            }
        }

        private byte[] read(RespConnection conn, String who, String where) throws IOException {
            try {
                return conn.readReply();
            } catch (IOException e) {
                throw new IOException(who + " gave no complete reply to " + where + ": " + e.getMessage(), e);
            }
        }

        void finish() throws IOException {
            try {
                assertThat(cowkv.isAlive()).as("cowkv process alive after " + script + "; output:\n" + cowkv.output()).isTrue();
                assertThat(redis.isAlive()).as("redis process alive after " + script).isTrue();
                try (RespConnection fresh = new RespConnection(cowkv)) {
                    assertThat(Resp.escape(fresh.call("PING"))).as("cowkv answers a fresh client").isEqualTo("+PONG\\r\\n");
                }
            } finally {
                if (c != null) {
                    c.close();
                }
                if (r != null) {
                    r.close();
                }
            }
        }
    }

    /** Null when the replies agree under {@code mode}, else what differs. */
    static String compare(Mode mode, byte[] mine, byte[] theirs) throws IOException {
        switch (mode) {
            case SKIP_COMPARE, NOREPLY:
                return null;
            case SCAN_ALL: // already reduced to one canonical reply per server
                return Arrays.equals(mine, theirs) ? null : "full iterations returned different elements";
            case TYPE:
                return mine[0] == theirs[0] ? null
                        : "reply types differ: '" + (char) mine[0] + "' vs '" + (char) theirs[0] + "'";
            case SORTED:
                List<byte[]> a = RespReader.elements(mine);
                List<byte[]> b = RespReader.elements(theirs);
                if (a != null && b != null) {
                    List<byte[]> sa = sortedTail(a);
                    List<byte[]> sb = sortedTail(b);
                    boolean same = sa.size() == sb.size();
                    for (int i = 0; same && i < sa.size(); i++) {
                        same = Arrays.equals(sa.get(i), sb.get(i));
                    }
                    return same ? null : "replies differ (ignoring element order)";
                }
                // not aggregates: compare exactly
                return Arrays.equals(mine, theirs) ? null : "replies differ";
            case SORTED_DEEP:
                return Arrays.equals(canonical(mine), canonical(theirs)) ? null
                        : "replies differ (ignoring element order at every level)";
            default:
                return Arrays.equals(mine, theirs) ? null : "replies differ";
        }
    }

    /** The reply with every aggregate's elements (a map's entries, kept paired) sorted bytewise, recursively. */
    static byte[] canonical(byte[] reply) throws IOException {
        List<byte[]> parts = RespReader.elements(reply);
        if (parts == null) {
            return reply;
        }
        List<byte[]> items = new ArrayList<>();
        for (byte[] e : parts.subList(1, parts.size())) {
            if (reply[0] == '%') {
                byte[] key = new RespReader(new java.io.ByteArrayInputStream(e)).readReply();
                byte[] value = Arrays.copyOfRange(e, key.length, e.length);
                java.io.ByteArrayOutputStream kv = new java.io.ByteArrayOutputStream();
                kv.writeBytes(canonical(key));
                kv.writeBytes(canonical(value));
                items.add(kv.toByteArray());
            } else {
                items.add(canonical(e));
            }
        }
        items.sort(Arrays::compare);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(parts.get(0));
        items.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** Header first, then the elements sorted bytewise. */
    private static List<byte[]> sortedTail(List<byte[]> parts) {
        List<byte[]> out = new ArrayList<>();
        out.add(parts.get(0));
        List<byte[]> tail = new ArrayList<>(parts.subList(1, parts.size()));
        tail.sort(Arrays::compare);
        out.addAll(tail);
        return out;
    }
}
