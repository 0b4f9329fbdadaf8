package io.cowkv.server.command;

import io.cowkv.server.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


import static io.cowkv.server.command.CommandSpec.command;
import static org.assertj.core.api.Assertions.assertThat;

/** The dispatcher alone answers unknown commands, unknown subcommands, arity and refused writes. */
class DispatcherTest {
    private final DispatchFixture fixture = new DispatchFixture();
    private final CommandRegistry registry = fixture.registry;
    private final ServerContext ctx = fixture.ctx;
    private final Dispatcher dispatcher = fixture.dispatcher;
    private final Session session = fixture.session;
    private int handled;

    @BeforeEach
    void setUp() {
        registry.register(command("exact", 2).handler((s, a) -> {
            handled++;
            s.reply().ok();
        }).build());
        registry.register(command("atleast", -3).flags("write", "denyoom").handler((s, a) -> {
            handled++;
            s.reply().ok();
        }).build());
        registry.register(command("boom", 1).handler((s, a) -> {
            s.reply().array(2); // a partial reply, then a failure
            throw new IllegalStateException("bug");
        }).build());
        registry.register(command("hog", 1).handler((s, a) -> {
            s.reply().array(2);
            throw new OutOfMemoryError("Java heap space"); // what a too-large heap allocation throws
        }).build());
        registry.register(command("box", -2)
                .sub(command("open", 3).handler((s, a) -> {
                    handled++;
                    s.reply().integer(a.count());
                }).build())
                .build());
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private String run(String... words) {
        return fixture.run(words);
    }

    @Test
    void namesAreCaseInsensitiveAndArityIsChecked() {
        assertThat(run("EXACT", "x")).isEqualTo("+OK\r\n");
        assertThat(run("exact")).isEqualTo("-ERR wrong number of arguments for 'exact' command\r\n");
        assertThat(run("exact", "a", "b")).isEqualTo("-ERR wrong number of arguments for 'exact' command\r\n");
        assertThat(run("AtLeast", "a", "b", "c")).isEqualTo("+OK\r\n");
        assertThat(run("atleast", "a")).isEqualTo("-ERR wrong number of arguments for 'atleast' command\r\n");
        assertThat(handled).isEqualTo(2);
        assertThat(registry.get("exact").stats.calls).isEqualTo(1);
        assertThat(registry.get("exact").stats.rejectedCalls).isEqualTo(2);
    }

    @Test
    void unknownCommandsEchoTheirArguments() {
        assertThat(run("nope", "a", "b c")).isEqualTo("-ERR unknown command 'nope', with args beginning with: 'a' 'b c' \r\n");
        assertThat(ctx.stats.errorsByType().get("ERR")[0]).isEqualTo(1);
    }

    @Test
    void unknownCommandsEchoBytesAsRedisFormatsThem() {
        // bytes are echoed as they are (not decoded), CR/LF become spaces, a NUL ends an argument
        assertThat(fixture.runLatin1("n\u00e9\rx", "\u00ff\u00fe\n", "ab\u0000cd", "z"))
                .isEqualTo("-ERR unknown command 'n\u00e9 x', with args beginning with: '\u00ff\u00fe ' 'ab' 'z' \r\n");
        // the arguments get 128 bytes between them (quotes and spaces included), the name 128
        String expected = "-ERR unknown command '" + "c".repeat(128) + "', with args beginning with: '"
                + "x".repeat(100) + "' '" + "y".repeat(25) + "' \r\n";
        assertThat(fixture.runLatin1("c".repeat(300), "x".repeat(100), "y".repeat(100), "never")).isEqualTo(expected);
    }

    @Test
    void subcommandsHaveTheirOwnArityAndErrors() {
        assertThat(run("box", "OPEN", "x")).isEqualTo(":3\r\n");
        assertThat(run("box", "open")).isEqualTo("-ERR wrong number of arguments for 'box|open' command\r\n");
        assertThat(run("box", "shut")).isEqualTo("-ERR unknown subcommand 'shut'. Try BOX HELP.\r\n");
        assertThat(run("box")).isEqualTo("-ERR wrong number of arguments for 'box' command\r\n");
    }

    @Test
    void writeGuardRefusesWritesButNotReads() {
        dispatcher.writeGuard((spec, s) -> Errors.OOM);
        assertThat(run("atleast", "a", "b")).isEqualTo("-OOM command not allowed when used memory > 'maxmemory'.\r\n");
        assertThat(run("exact", "x")).isEqualTo("+OK\r\n");
        assertThat(handled).isEqualTo(1);
    }

    @Test
    void aFailingHandlerAnswersWithAnErrorAndTheNextCommandRuns() {
        java.util.List<String> logged = new java.util.ArrayList<>();
        dispatcher.internalErrors(logged::add);
        assertThat(run("boom")).isEqualTo("-ERR internal error executing 'boom': IllegalStateException\r\n");
        assertThat(logged).singleElement().asString().contains("bug");
        assertThat(registry.get("boom").stats.failedCalls).isEqualTo(1);
        assertThat(run("exact", "x")).isEqualTo("+OK\r\n");
    }

    @Test
    void aCommandThatExhaustsTheHeapAnswersWithAnErrorAndTheConnectionGoesOn() {
        java.util.List<String> logged = new java.util.ArrayList<>();
        dispatcher.internalErrors(logged::add);
        assertThat(run("hog")).isEqualTo("-ERR internal error executing 'hog': OutOfMemoryError\r\n");
        assertThat(logged).singleElement().asString().contains("Java heap space");
        assertThat(run("exact", "x")).isEqualTo("+OK\r\n");
    }

    @Test
    void clientReplyOffDropsRepliesButRunsCommands() {
        session.replyMode = Session.ReplyMode.OFF;
        assertThat(run("exact", "x")).isEmpty();
        assertThat(handled).isEqualTo(1);
    }
}
