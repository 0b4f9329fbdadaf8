package io.cowkv.server.command;

import io.cowkv.server.protocol.CommandArgs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key finding from key specs, checked against what redis-server 7.0.15 answers to COMMAND
 * GETKEYSANDFLAGS, including the spec kinds no CowKV command uses yet (keynum: ZUNIONSTORE,
 * keyword with a limit: XREAD). CowKV's own commands are compared in the differential tests.
 */
class CommandKeysTest {
    private static final CommandMetadata SAMPLES = samples();

    private static CommandMetadata samples() {
        try (InputStream in = CommandKeysTest.class.getResourceAsStream("keyspec-samples.txt")) {
            return CommandMetadata.parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII),
                    new String(CommandKeysTest.class.getResourceAsStream(CommandMetadata.GENERATED).readAllBytes(),
                            StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The keys as "name flag flag ..." strings. */
    private static List<String> keys(String line) {
        String[] words = line.split(" ");
        CommandArgs a = new CommandArgs();
        a.add("command");
        a.add("getkeysandflags");
        for (String w : words) {
            a.add(w);
        }
        String name = words[0].toLowerCase();
        CommandMetadata.Entry e = SAMPLES.get(name);
        return CommandKeys.find(name, e, e.arity(), a, 2, words.length).stream()
                .map(k -> words[k.pos()] + " " + String.join(" ", k.flags())).toList();
    }

    @Test
    void keynumSpec() {
        assertThat(keys("zunionstore d 2 a b weights 1 2")).containsExactly("d OW update", "a RO access", "b RO access");
        assertThat(keys("zunionstore d 3 a b")).isEmpty(); // Redis: Invalid arguments specified for command
        assertThat(keys("zunionstore d x a b")).isEmpty();
        assertThat(keys("zunionstore d -1 a b")).isEmpty();
    }

    @Test
    void keywordSpecWithLimit() {
        assertThat(keys("xread count 2 streams s1 s2 0 0")).containsExactly("s1 RO access", "s2 RO access");
        assertThat(keys("xread STREAMS s1 0")).containsExactly("s1 RO access");
        assertThat(keys("xread count 2 block 0")).isEmpty(); // no STREAMS keyword: no keys
    }

    @Test
    void rangeSpecsAndSetsOwnKeyFunction() {
        assertThat(keys("mset a 1 b 2")).containsExactly("a OW update", "b OW update");
        assertThat(keys("mset a 1 b")).containsExactly("a OW update", "b OW update");
        assertThat(keys("rename a b")).containsExactly("a RW access delete", "b OW update");
        assertThat(keys("del a b")).containsExactly("a RM delete", "b RM delete");
        assertThat(keys("set k v")).containsExactly("k OW update");
        assertThat(keys("set k v EX 10 GET")).containsExactly("k RW access update");
        assertThat(keys("set k get")).containsExactly("k OW update"); // GET is looked for from the 4th word on
    }

    @Test
    void hasKeys() {
        assertThat(CommandKeys.hasKeys("get", SAMPLES.get("get"))).isTrue();
        assertThat(CommandKeys.hasKeys("ping", SAMPLES.get("ping"))).isFalse();
        assertThat(CommandKeys.hasKeys("config|get", SAMPLES.get("config|get"))).isFalse();
    }
}
