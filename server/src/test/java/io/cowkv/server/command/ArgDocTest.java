package io.cowkv.server.command;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ArgDocTest {
    @Test
    void parsesSetSyntax() {
        List<ArgDoc> args = ArgDoc.parse("key:key value:string [NX|XX] [GET] "
                + "[EX seconds:integer|PX milliseconds:integer|KEEPTTL]");
        assertThat(args).extracting(a -> a.name).containsExactly("key", "value", "nx-xx", "get", "seconds-milliseconds-keepttl");
        assertThat(args.get(0).type).isEqualTo("key");
        assertThat(args.get(2).type).isEqualTo("oneof");
        assertThat(args.get(2).optional).isTrue();
        assertThat(args.get(3).type).isEqualTo("pure-token");
        assertThat(args.get(3).token).isEqualTo("GET");
        ArgDoc ex = args.get(4).children.get(0);
        assertThat(ex.name).isEqualTo("seconds");
        assertThat(ex.token).isEqualTo("EX");
        assertThat(ex.type).isEqualTo("integer");
        assertThat(args.get(4).children.get(2).type).isEqualTo("pure-token");
    }

    @Test
    void multipleAndBlocks() {
        List<ArgDoc> args = ArgDoc.parse("(key:key value:string) ...");
        assertThat(args).hasSize(1);
        assertThat(args.get(0).type).isEqualTo("block");
        assertThat(args.get(0).multiple).isTrue();
        assertThat(args.get(0).optional).isFalse();
        assertThat(args.get(0).children).extracting(a -> a.name).containsExactly("key", "value");
        List<ArgDoc> keys = ArgDoc.parse("key:key ...");
        assertThat(keys.get(0).multiple).isTrue();
    }
}
