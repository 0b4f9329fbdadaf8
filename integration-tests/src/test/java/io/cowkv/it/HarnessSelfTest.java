package io.cowkv.it;

import io.cowkv.it.DiffScript.Mode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The differential harness's own parts: script parsing, the raw reply reader, comparison. */
class HarnessSelfTest {

    private static List<String> split(String line) {
        return DiffScript.splitArgs(line).stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList();
    }

    @Test
    void splitsLikeRedisCli() {
        assertThat(split("  SET  k   v ")).containsExactly("SET", "k", "v");
        assertThat(split("ECHO \"a b\" 'c d'")).containsExactly("ECHO", "a b", "c d");
        assertThat(split("ECHO \"\\x41\\n\\t\\\"\\\\\"")).containsExactly("ECHO", "A\n\t\"\\");
        assertThat(split("ECHO 'it\\'s'")).containsExactly("ECHO", "it's");
        assertThat(split("ECHO \"\"")).containsExactly("ECHO", "");
        assertThat(split("ECHO \"\\xff\"")).containsExactly("ECHO", "\u00ff");
        assertThatThrownBy(() -> split("ECHO \"abc")).hasMessageContaining("unbalanced");
        assertThatThrownBy(() -> split("ECHO \"a\"b")).hasMessageContaining("closing quote");
    }

    @Test
    void parsesDirectivesAndReportsScriptErrors() {
        DiffScript s = DiffScript.parse("t.redis", List.of("# c", "", "PING", "!sorted", "CONFIG GET *", "!bogus", "PING",
                "!type"));
        assertThat(s.steps).hasSize(4);
        assertThat(s.steps.get(0).mode()).isEqualTo(Mode.EXACT);
        assertThat(s.steps.get(0).lineNo()).isEqualTo(3);
        assertThat(s.steps.get(1).mode()).isEqualTo(Mode.SORTED);
        assertThat(s.steps.get(2).error()).contains("unknown directive");
        assertThat(s.steps.get(3).error()).contains("no command after it");
        DiffScript scan = DiffScript.parse("t.redis", List.of("!scan-all", "SCAN 0 COUNT 2"));
        assertThat(scan.steps.get(0).mode()).isEqualTo(Mode.SCAN_ALL);
        assertThat(new String(DiffScanAll.bulkContent("$3\r\n123\r\n".getBytes(StandardCharsets.US_ASCII)),
                StandardCharsets.US_ASCII)).isEqualTo("123");
    }

    private static byte[] read(String raw) throws Exception {
        return new RespReader(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1))).readReply();
    }

    @Test
    void readsExactlyOneReply() throws Exception {
        String nested = "*3\r\n$3\r\na\r\n\r\n%1\r\n+k\r\n~2\r\n:1\r\n_\r\n|1\r\n+attr\r\n:0\r\n,1.5\r\n";
        assertThat(new String(read(nested + "+NEXT\r\n"), StandardCharsets.ISO_8859_1)).isEqualTo(nested);
        assertThat(new String(read("$-1\r\n:5\r\n"), StandardCharsets.ISO_8859_1)).isEqualTo("$-1\r\n");
        assertThat(new String(read("=8\r\ntxt:abcd\r\n"), StandardCharsets.ISO_8859_1)).isEqualTo("=8\r\ntxt:abcd\r\n");
        assertThatThrownBy(() -> read("*2\r\n:1\r\n")).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> read("$5\r\nab")).isInstanceOf(EOFException.class);
    }

    @Test
    void comparesByMode() throws Exception {
        byte[] a = "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(DifferentialTest.compare(Mode.EXACT, a, b)).isNotNull();
        assertThat(DifferentialTest.compare(Mode.SORTED, a, b)).isNull();
        assertThat(DifferentialTest.compare(Mode.TYPE, a, b)).isNull();
        byte[] m1 = "%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] m2 = "%2\r\n+b\r\n:2\r\n+a\r\n:1\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] m3 = "%2\r\n+b\r\n:1\r\n+a\r\n:2\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(DifferentialTest.compare(Mode.SORTED, m1, m2)).isNull();
        assertThat(DifferentialTest.compare(Mode.SORTED, m1, m3)).as("map entries stay paired").isNotNull();
        assertThat(DifferentialTest.compare(Mode.TYPE, "+OK\r\n".getBytes(), "-ERR\r\n".getBytes())).isNotNull();
    }
}
