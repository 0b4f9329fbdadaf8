package io.cowkv.server.util;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads and links classes ahead of their first use, at start-up. The JVM loads a class the first
 * time code touches it, which costs tens to hundreds of microseconds per class (reading and
 * inflating it from the jar, verification); on the event loop that is a stall every client waits
 * for. The first BGSAVE touched about 40 classes that no earlier command had, which made it take
 * 4-8 ms (docs/benchmarks-cow.md, session 11). Static initializers are not run here.
 *
 * <p>Works for classes in a jar or a classes directory (tests); anything that cannot be listed or
 * loaded is skipped: preloading is an optimisation, never a reason to fail start-up.
 */
public final class ClassPreloader {
    private ClassPreloader() {
    }

    /**
     * Loads every class whose name starts with one of {@code prefixes} (e.g.
     * "io.cowkv.server.snapshot.") from the code sources the {@code anchors} come from, each
     * source (jar or classes directory) listed once however many anchors share it: in the server
     * jar that is one pass, in a multi-module build one per module. Returns how many were loaded.
     */
    public static int preload(java.util.List<Class<?>> anchors, String... prefixes) {
        java.util.Map<Path, ClassLoader> sources = new java.util.LinkedHashMap<>();
        for (Class<?> anchor : anchors) {
            try {
                sources.putIfAbsent(Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI()),
                        anchor.getClassLoader());
            } catch (URISyntaxException | RuntimeException e) {
                // no listable code source: nothing to preload from it
            }
        }
        int loaded = 0;
        for (java.util.Map.Entry<Path, ClassLoader> e : sources.entrySet()) {
            loaded += preload(e.getKey(), e.getValue(), prefixes);
        }
        return loaded;
    }

    private static int preload(Path source, ClassLoader loader, String[] prefixes) {
        int loaded = 0;
        try {
            if (Files.isDirectory(source)) {
                try (Stream<Path> files = Files.walk(source)) {
                    for (Path p : (Iterable<Path>) files::iterator) {
                        String rel = source.relativize(p).toString().replace('\\', '/');
                        loaded += load(loader, rel, prefixes);
                    }
                }
            } else {
                try (JarFile jar = new JarFile(source.toFile())) {
                    Enumeration<JarEntry> entries = jar.entries();
                    while (entries.hasMoreElements()) {
                        loaded += load(loader, entries.nextElement().getName(), prefixes);
                    }
                }
            }
        } catch (IOException e) {
            return loaded;
        }
        return loaded;
    }

    private static int load(ClassLoader loader, String path, String[] prefixes) {
        if (!path.endsWith(".class") || path.endsWith("module-info.class") || path.endsWith("package-info.class")) {
            return 0;
        }
        String name = path.substring(0, path.length() - ".class".length()).replace('/', '.');
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                try {
                    Class.forName(name, false, loader);
                    return 1;
                } catch (ClassNotFoundException | LinkageError e) {
                    return 0; // optional dependency missing, or not loadable here: skip it
                }
            }
        }
        return 0;
    }
}
