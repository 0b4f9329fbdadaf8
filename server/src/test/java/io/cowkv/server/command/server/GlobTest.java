package io.cowkv.server.command.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GlobTest {
    @Test
    void matchesLikeStringmatchlen() {
        assertThat(Glob.matches("*", "abc", false)).isTrue();
        assertThat(Glob.matches("*max*", "maxmemory-policy", false)).isTrue();
        assertThat(Glob.matches("h?llo", "hello", false)).isTrue();
        assertThat(Glob.matches("h?llo", "hllo", false)).isFalse();
        assertThat(Glob.matches("h[ae]llo", "hallo", false)).isTrue();
        assertThat(Glob.matches("h[^e]llo", "hello", false)).isFalse();
        assertThat(Glob.matches("h[a-c]llo", "hbllo", false)).isTrue();
        assertThat(Glob.matches("h\\*llo", "h*llo", false)).isTrue();
        assertThat(Glob.matches("h\\*llo", "hello", false)).isFalse();
        assertThat(Glob.matches("MAX*", "maxclients", true)).isTrue();
        assertThat(Glob.matches("MAX*", "maxclients", false)).isFalse();
        assertThat(Glob.matches("a*", "a", false)).isTrue();
        assertThat(Glob.matches("*", "", false)).isFalse(); // as Redis: an empty string never enters the loop
        assertThat(Glob.matches("", "", false)).isTrue();
    }
}
