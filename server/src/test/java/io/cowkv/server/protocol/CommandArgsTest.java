package io.cowkv.server.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Case-insensitive name matching of request arguments, for every byte value. */
class CommandArgsTest {
    @Test
    void matchesNamesInAnyAsciiCaseAndNothingElse() {
        CommandArgs a = new CommandArgs();
        a.add("BgSaVe");
        a.add("bgsave");
        a.add("BGSAVE");
        a.add("bgsav");
        a.add("bgsavE\u00c9".substring(0, 6)); // still ASCII
        for (int i = 0; i < 5; i++) {
            assertThat(a.is(i, "bgsave")).as("argument %d", i).isEqualTo(i != 3);
        }
        assertThat(a.lower(0)).isEqualTo("bgsave");
    }

    @Test
    void lowerCaseMapsOnlyAsciiLetters() {
        for (int c = 0; c < 256; c++) {
            int expected = c >= 'A' && c <= 'Z' ? c + 32 : c;
            assertThat(CommandArgs.lowerAscii((byte) c)).as("byte %d", c).isEqualTo(expected);
        }
        CommandArgs a = new CommandArgs();
        a.add(new byte[]{(byte) 0xC1, 'b'}, 0, 2); // 0xC1 - 32 == 0xA1, 0xC1 | 0x20 == 0xE1: neither may match
        assertThat(a.is(0, "\u00e1b")).isFalse();
        assertThat(a.is(0, "ab")).isFalse();
        a.add(new byte[]{'[', '@', '`', '{'}, 0, 4); // the neighbours of the letter ranges stay themselves
        assertThat(a.is(1, "[@`{")).isTrue();
        assertThat(a.is(1, "{`@[")).isFalse();
    }
}
