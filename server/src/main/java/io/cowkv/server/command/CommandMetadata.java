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

    /**
     * One command's (or subcommand's) metadata. Its text is parsed on first use (start-up only
     * finds where each record is); CommandMetadataTest parses every record.
     */
    public static final class Entry {
        public final String name;
        private final String text;
        private RespTree info;
        private RespTree docs;
        private List<KeySpec> keySpecs;

        Entry(String name, String text) {
            this.name = name;
            this.text = text;
        }

        private void parse() {
            RespTree.Parser p = new RespTree.Parser(text);
            RespTree i = p.value();
            RespTree d = p.value();
            if (i.type != '*' || i.size() != 10 || d.type != '%' || !p.atEnd()) {
                throw new IllegalArgumentException("malformed metadata for " + name);
            }
            List<KeySpec> specs = new ArrayList<>();
            for (int k = 0; k < i.child(8).size(); k++) {
                specs.add(KeySpec.of(i.child(8).child(k)));
            }
            keySpecs = List.copyOf(specs);
            docs = d;
            info = i;
        }

        /** The COMMAND INFO reply (10 elements; a container's subcommand list is empty). */
        public RespTree info() {
            if (info == null) {
                parse();
            }
            return info;
        }

        /** The COMMAND DOCS map (without a container's "subcommands" field). */
        public RespTree docs() {
            if (info == null) {
                parse();
            }
            return docs;
        }

        public List<KeySpec> keySpecs() {
            if (info == null) {
                parse();
            }
            return keySpecs;
        }

        public int arity() {
            return (int) info().child(1).number;
        }

        public List<String> flags() {
            return info().child(2).texts();
        }

        public int firstKey() {
            return (int) info().child(3).number;
        }

        public int lastKey() {
            return (int) info().child(4).number;
        }

        public int step() {
            return (int) info().child(5).number;
        }

        /** ACL categories with their '@', in Redis's order. */
        public List<String> aclCategories() {
            return info().child(6).texts();
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

    /**
     * Reads records {@code command <name>} followed by the INFO and DOCS values (see
     * {@link RespTree}), one record from each line starting with "command " to the next.
     */
    public static CommandMetadata parse(String... texts) {
        CommandMetadata m = new CommandMetadata();
        for (String text : texts) {
            int at = text.startsWith("command ") ? 0 : text.indexOf("\ncommand ");
            while (at >= 0) {
                int nameStart = text.indexOf(' ', at + 1) + 1;
                int nameEnd = text.indexOf('\n', nameStart);
                int next = nameEnd < 0 ? -1 : text.indexOf("\ncommand ", nameEnd);
                if (nameEnd < 0) {
                    throw new IllegalArgumentException("record without INFO and DOCS at the end");
                }
                String name = text.substring(nameStart, nameEnd).trim();
                Entry e = new Entry(name, text.substring(nameEnd, next < 0 ? text.length() : next));
                if (m.entries.putIfAbsent(name, e) != null) {
                    throw new IllegalArgumentException("metadata for " + name + " given twice");
                }
                at = next;
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
