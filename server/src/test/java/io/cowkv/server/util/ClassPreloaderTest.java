package io.cowkv.server.util;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up preloader: loads what the prefixes name, each code source listed once. */
class ClassPreloaderTest {
    @Test
    void loadsTheNamedClassesOncePerCodeSource() {
        int once = ClassPreloader.preload(List.of(Numbers.class), "io.cowkv.server.util.CFormat",
                "io.cowkv.server.util.Numbers");
        assertThat(once).isEqualTo(2);
        // two anchors from the same classes directory: still one listing, the same two classes
        assertThat(ClassPreloader.preload(List.of(Numbers.class, CFormat.class), "io.cowkv.server.util.CFormat",
                "io.cowkv.server.util.Numbers")).isEqualTo(2);
        assertThat(ClassPreloader.preload(List.of(Numbers.class), "no.such.package.")).isZero();
    }
}
