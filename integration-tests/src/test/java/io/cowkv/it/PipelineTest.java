package io.cowkv.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** 10,000 commands written in one go over one raw socket; every reply checked, in order. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineTest {
    private static final int N = 10_000;
    private CowKvProcess server;

    @BeforeAll
    void start() throws Exception {
        server = CowKvProcess.started();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Command i of the batch, cycling SET / GET / EXISTS / DEL / PING over a few keys. */
    private static String[] command(int i) {
        String key = "p:" + (i / 4);
        return switch (i % 4) {
            case 0 -> new String[] {"SET", key, "value-" + i};
            case 1 -> new String[] {"GET", key};
            case 2 -> new String[] {"EXISTS", key, "nokey"};
            default -> i % 8 == 3 ? new String[] {"DEL", key} : new String[] {"PING"};
        };
    }

    private static String expected(int i) {
        return switch (i % 4) {
            case 0 -> "+OK\r\n";
            case 1 -> {
                String v = "value-" + (i - 1);
                yield "$" + v.length() + "\r\n" + v + "\r\n";
            }
            case 2 -> ":1\r\n";
            default -> i % 8 == 3 ? ":1\r\n" : "+PONG\r\n";
        };
    }

    @Test
    void tenThousandPipelinedCommands() throws Exception {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        batch.writeBytes(Resp.encode("FLUSHALL"));
        for (int i = 0; i < N; i++) {
            batch.writeBytes(Resp.encode(command(i)));
        }
        batch.writeBytes(Resp.encode("DBSIZE"));
        byte[] bytes = batch.toByteArray();

        try (RespConnection c = new RespConnection(server)) {
            // Write from another thread: the server may answer before the whole batch is sent.
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    c.write(bytes);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(str(c.readReply())).isEqualTo("+OK\r\n");
            for (int i = 0; i < N; i++) {
                String got = str(c.readReply());
                if (!got.equals(expected(i))) {
                    throw new AssertionError("reply " + i + " to " + String.join(" ", command(i)) + ": expected \""
                            + Resp.escape(expected(i)) + "\" got \"" + Resp.escape(got) + "\"");
                }
            }
            // keys of even groups were deleted, odd groups remain: N/8 keys
            assertThat(str(c.readReply())).isEqualTo(":" + (N / 8) + "\r\n");
            writer.get(10, TimeUnit.SECONDS);
            assertThat(str(c.call("PING"))).isEqualTo("+PONG\r\n");
        }
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
