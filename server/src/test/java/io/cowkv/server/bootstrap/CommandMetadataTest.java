package io.cowkv.server.bootstrap;

import io.cowkv.server.command.CommandKeys;
import io.cowkv.server.command.CommandMetadata;
import io.cowkv.server.command.CommandSpec;
import io.cowkv.server.config.ConfigLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command table (Java registration: what dispatch uses) and Redis's metadata (the resources
 * COMMAND INFO/DOCS serve) must not drift apart: every registered command and subcommand has
 * metadata, with the same name, arity, flags and key positions. To add a command, register it
 * and run {@code java server/tools/GenCommandMetadata.java <name>} (docs/command-metadata.md).
 */
class CommandMetadataTest {
    static List<CommandSpec> registered = new ArrayList<>();
    static CommandMetadata metadata;

    @BeforeAll
    static void table(@TempDir Path dir) throws Exception {
        CowKvServer server = new CowKvServer(ConfigLoader.load(new String[]{"--port", "0", "--bind", "127.0.0.1",
                "--save", "", "--loglevel", "warning", "--dir", dir.toString()}));
        for (CommandSpec spec : server.context().commands.all()) {
            registered.add(spec);
            registered.addAll(spec.subcommands().values());
        }
        metadata = CommandMetadata.load();
    }

    @Test
    void everyRegisteredCommandHasRedisMetadataThatAgreesWithItsRegistration() {
        List<String> problems = new ArrayList<>();
        for (CommandSpec spec : registered) {
            String name = spec.fullName();
            CommandMetadata.Entry m = metadata.get(name);
            if (m == null) {
                problems.add(name + ": no metadata (run java server/tools/GenCommandMetadata.java " + name.split("\\|")[0] + ")");
                continue;
            }
            if (!m.info().child(0).text().equals(name)) {
                problems.add(name + ": metadata names itself " + m.info().child(0).text());
            }
            if (m.arity() != spec.arity) {
                problems.add(name + ": arity " + spec.arity + ", Redis " + m.arity());
            }
            if (!new HashSet<>(m.flags()).equals(spec.flags)) {
                problems.add(name + ": flags " + spec.flags + ", Redis " + m.flags());
            }
            if (m.firstKey() != spec.firstKey || m.lastKey() != spec.lastKey || m.step() != spec.step) {
                problems.add(name + ": keys " + spec.firstKey + "," + spec.lastKey + "," + spec.step
                        + ", Redis " + m.firstKey() + "," + m.lastKey() + "," + m.step());
            }
            if (CommandKeys.needsKeyFunction(m) && !CommandKeys.hasKeyFunction(name)) {
                problems.add(name + ": its key specs have variable_flags but CommandKeys has no key function for it");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void metadataIsOnlyForRegisteredCommandsOrTheirContainersSubcommands() {
        Set<String> names = new HashSet<>();
        for (CommandSpec spec : registered) {
            names.add(spec.fullName());
        }
        List<String> stray = new ArrayList<>();
        for (CommandMetadata.Entry e : metadata.all()) {
            String top = e.name.split("\\|")[0];
            boolean ok = names.contains(e.name)
                    || (e.name.contains("|") && names.contains(top)); // Redis has more CLIENT subcommands
            if (!ok) {
                stray.add(e.name);
            }
        }
        assertThat(stray).as("metadata of commands CowKV does not have").isEmpty();
    }

    @Test
    void everyRecordParses() {
        for (CommandMetadata.Entry e : metadata.all()) {
            assertThat(e.info().child(0).text()).as("name in the INFO of " + e.name).isEqualTo(e.name);
            assertThat(e.docs().field("summary")).as("summary of " + e.name).isNotNull();
            assertThat(e.keySpecs()).hasSize(e.info().child(8).size());
        }
    }

    @Test
    void loadingTheMetadataTakesAFewMilliseconds() {
        CommandMetadata.load(); // warm
        long start = System.nanoTime();
        CommandMetadata.load();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(ms).as("load time in ms").isLessThan(50);
    }
}
