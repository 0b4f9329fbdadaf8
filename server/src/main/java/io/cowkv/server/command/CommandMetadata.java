package io.cowkv.server.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis 7.0.15's own metadata of CowKV's commands: the COMMAND INFO and COMMAND DOCS replies,
 * kept as data in {@value #GENERATED} (written by {@code server/tools/GenCommandMetadata.java}
 * from a real redis-server) and {@value #EXTRA} (hand-written, for commands Redis 7.0.15 lacks).
 * Loaded once at start-up; read-only afterwards. Entries are keyed by full name ({@code get},
 * {@code config|get}); an entry for a command CowKV does not register is never served.
 * See docs/command-metadata.md.
 */
public final class CommandMetadata {
    public static final String GENERATED = "command-metadata.txt";
    public static final String EXTRA = "command-metadata-extra.txt";

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** One command's (or subcommand's) metadata. */
    public static final class Entry {
        public final String name;
        /** The COMMAND INFO reply (10 elements; a container's subcommand list is empty). */
        public final RespTree info;
        /** The COMMAND DOCS map (without a container's "subcommands" field). */
        public final RespTree docs;
        public final List<KeySpec> keySpecs;

        Entry(String name, RespTree info, RespTree docs) {
            this.name = name;
            this.info = info;
            this.docs = docs;
            if (info.type != '*' || info.size() != 10 || docs.type != '%') {
                throw new IllegalArgumentException("malformed metadata for " + name);
            }
            List<KeySpec> specs = new ArrayList<>();
            RespTree keySpecs = info.child(8);
            for (int i = 0; i < keySpecs.size(); i++) {
                specs.add(KeySpec.of(keySpecs.child(i)));
            }
            this.keySpecs = List.copyOf(specs);
        }

        public int arity() {
            return (int) info.child(1).number;
        }

        public List<String> flags() {
            return info.child(2).texts();
        }

        public int firstKey() {
            return (int) info.child(3).number;
        }

        public int lastKey() {
            return (int) info.child(4).number;
        }

        public int step() {
            return (int) info.child(5).number;
        }

        /** ACL categories with their '@', in Redis's order. */
        public List<String> aclCategories() {
            return info.child(6).texts();
        }
    }

    /** Loads both resources from the class path. */
    public static CommandMetadata load() {
        return parse(resource(GENERATED), resource(EXTRA));
    }

    private static String resource(String name) {
        try (InputStream in = CommandMetadata.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses records {@code command <name> <info> <docs>} (see {@link RespTree}) from each text. */
    public static CommandMetadata parse(String... texts) {
        CommandMetadata m = new CommandMetadata();
        for (String text : texts) {
            RespTree.Parser p = new RespTree.Parser(text);
            while (!p.atEnd()) {
                if (!p.word().equals("command")) {
                    throw new IllegalArgumentException("'command <name>' expected");
                }
                String name = p.word();
                Entry e = new Entry(name, p.value(), p.value());
                if (m.entries.putIfAbsent(name, e) != null) {
                    throw new IllegalArgumentException("metadata for " + name + " given twice");
                }
            }
        }
        return m;
    }

    /** The metadata of a command by full lower-case name, or null. */
    public Entry get(String fullName) {
        return entries.get(fullName);
    }

    public Collection<Entry> all() {
        return Collections.unmodifiableCollection(entries.values());
    }
}
