package io.cowkv.server.net;

import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.Dispatcher;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.command.connection.ConnectionCommands;
import io.cowkv.server.command.string.StringCommands;
import io.cowkv.server.config.ServerConfig;
import io.cowkv.server.keyspace.Clock;
import io.cowkv.server.keyspace.Keyspace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection handler on an embedded channel: pipelined batches get one flushed buffer,
 * partial requests resume, protocol errors reply and close, and every buffer it was given or
 * produced is released (reference counts checked, no leak left to Netty's detector).
 */
class ClientConnectionTest {
    private Keyspace keyspace;
    private ServerContext ctx;
    private EmbeddedChannel ch;
    private final List<ByteBuf> inputs = new ArrayList<>();

    @BeforeEach
    void setUp() {
        keyspace = new Keyspace(16, Clock.SYSTEM);
        CommandRegistry registry = new CommandRegistry();
        ctx = new ServerContext(keyspace, new ServerConfig(), registry, "7.0.15");
        new ConnectionCommands(ctx).register(registry);
        new StringCommands(ctx).register(registry);
        ch = new EmbeddedChannel(new ClientConnection(ctx, new Dispatcher(ctx), new ClientConnection.ConnectionEvents() {
            @Override
            public void opened(Session s) {
            }

            @Override
            public void closed(Session s) {
            }
        }));
    }

    @AfterEach
    void tearDown() {
        ch.finishAndReleaseAll();
        for (ByteBuf in : inputs) {
            assertThat(in.refCnt()).as("input buffer released").isZero();
        }
        keyspace.close();
    }

    private void send(String s) {
        ByteBuf in = Unpooled.directBuffer().writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        inputs.add(in);
        ch.writeInbound(in);
    }

    /** All output flushed so far, as one string; each outbound buffer is released after reading. */
    private String output() {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void pipelinedBatchIsAnsweredInOneWrite() {
        send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING\r\n");
        ByteBuf first = ch.readOutbound();
        assertThat(first.toString(StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n$1\r\nv\r\n+PONG\r\n");
        first.release();
        assertThat((Object) ch.readOutbound()).as("one buffer per read batch").isNull();
    }

    @Test
    void partialRequestsResumeAcrossReads() {
        send("*2\r\n$4\r\nECHO\r\n$10\r\nhello");
        assertThat(output()).isEmpty();
        send("world\r\n*1\r\n$4\r\nPI");
        assertThat(output()).isEqualTo("$10\r\nhelloworld\r\n");
        send("NG\r\n");
        assertThat(output()).isEqualTo("+PONG\r\n");
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void protocolErrorRepliesAfterEarlierCommandsThenCloses() {
        send("PING\r\n*1\r\nx\r\nPING\r\n");
        assertThat(output()).isEqualTo("+PONG\r\n-ERR Protocol error: expected '$', got 'x'\r\n");
        assertThat(ch.isOpen()).isFalse();
        assertThat(ctx.clients.size()).isZero();
    }

    @Test
    void quitClosesAfterItsReply() {
        send("QUIT\r\nPING\r\n");
        assertThat(output()).isEqualTo("+OK\r\n");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void closingMidRequestReleasesTheCumulation() {
        send("*2\r\n$3\r\nGET\r\n$100\r\nabc");
        send("*2\r\n$3\r\nGET"); // still inside the bulk payload
        ch.close();
        assertThat(output()).isEmpty();
    }
}
