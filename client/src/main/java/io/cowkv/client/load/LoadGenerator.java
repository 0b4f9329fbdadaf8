package io.cowkv.client.load;

import io.cowkv.client.RedisConnection;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Drives operations over a set of connections, each keeping up to {@code pipeline} commands in
 * flight. Everything runs on the connections' event loops: a reply's callback sends the next
 * command, a rate-limited sender that is ahead of its schedule arms a timer. Nothing blocks.
 *
 * <p>Latency (microseconds) of every reply goes into a shared {@link Recorder}: measured from the
 * send time at full speed, and from the scheduled start time when rate-limited (coordinated
 * omission corrected).
 */
public final class LoadGenerator {

    /** What the next operation is; called on the sender's event loop. */
    public interface OpSource {
        /** Fills {@code op} with the next command, or returns false when there is none left. */
        boolean next(SplittableRandom rnd, Op op);
    }

    /** A reusable holder for one command. */
    public static final class Op {
        byte[][] args;
        boolean write;

        public void set(boolean write, byte[]... args) {
            this.write = write;
            this.args = args;
        }
    }

    private final List<Sender> senders = new ArrayList<>();
    private final Recorder recorder;
    private final LongAdder ops = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private volatile boolean stopped;
    private final CompletableFuture<Void> idle = new CompletableFuture<>();
    private final AtomicLong active = new AtomicLong();

    /**
     * @param connections one sender per connection
     * @param pipeline commands in flight per connection
     * @param ratePerSecond total rate over all connections, or 0 for full speed
     */
    public LoadGenerator(List<RedisConnection> connections, int pipeline, double ratePerSecond, OpSource source,
            long seed, Recorder recorder) {
        this.recorder = recorder;
        for (int i = 0; i < connections.size(); i++) {
            senders.add(new Sender(connections.get(i), pipeline,
                    ratePerSecond > 0 ? ratePerSecond / connections.size() : 0, source,
                    new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i)));
        }
    }

    /** Starts every sender; returns immediately. */
    public void start() {
        active.set(senders.size());
        for (Sender s : senders) s.loop.execute(s::begin);
    }

    /** Asks senders to stop issuing; in-flight commands still complete. */
    public void stop() {
        stopped = true;
    }

    /** Completes when every sender has stopped (stop() called, or the source ran dry) and has no command in flight. */
    public CompletableFuture<Void> idle() {
        return idle;
    }

    public long ops() { return ops.sum(); }
    public long writes() { return writes.sum(); }
    public long errors() { return errors.sum(); }
    /** The first failure's message, or null. */
    public String firstError() { return firstError.get(); }

    private final class Sender {
        final RedisConnection conn;
        final EventLoop loop;
        final int depth;
        final double rate;
        final OpSource source;
        final SplittableRandom rnd;
        final Op op = new Op();
        RateLimiter limiter;
        int inflight;
        boolean timerArmed;
        boolean exhausted;
        boolean finished;
        boolean pumping;

        Sender(RedisConnection conn, int depth, double rate, OpSource source, SplittableRandom rnd) {
            this.conn = conn;
            this.loop = conn.channel().eventLoop();
            this.depth = depth;
            this.rate = rate;
            this.source = source;
            this.rnd = rnd;
        }

        void begin() {
            if (rate > 0) limiter = new RateLimiter(rate, System::nanoTime);
            pump();
        }

        /** On the event loop: issue as many commands as the window and the schedule allow. */
        void pump() {
            if (pumping) return; // re-entered from a reply completed synchronously: the outer loop goes on
            pumping = true;
            try {
                pumpLoop();
            } finally {
                pumping = false;
            }
            maybeFinish();
        }

        private void pumpLoop() {
            while (!stopped && !exhausted && inflight < depth) {
                long intended;
                if (limiter != null) {
                    intended = limiter.tryAcquire();
                    if (intended < 0) {
                        if (!timerArmed) {
                            timerArmed = true;
                            loop.schedule(() -> {
                                timerArmed = false;
                                pump();
                            }, Math.max(limiter.nanosUntilNext(), 1000), TimeUnit.NANOSECONDS);
                        }
                        return;
                    }
                } else {
                    intended = System.nanoTime();
                }
                if (!source.next(rnd, op)) {
                    exhausted = true;
                    break;
                }
                inflight++;
                final long t0 = intended;
                final boolean w = op.write;
                conn.send(op.args).whenComplete((r, err) -> done(t0, w, err));
            }
        }

        void done(long intended, boolean write, Throwable err) {
            long micros = Math.max(1, (System.nanoTime() - intended) / 1000);
            recorder.recordValue(micros);
            inflight--;
            ops.increment();
            if (write) writes.increment();
            if (err != null) {
                errors.increment();
                firstError.compareAndSet(null, err.getMessage());
                // a broken connection fails every later command at once: this sender stops
                if (err instanceof io.cowkv.client.RedisConnectionException) exhausted = true;
            }
            if (loop.inEventLoop()) pump();
            else loop.execute(this::pump);
        }

        void maybeFinish() {
            if (!finished && (stopped || exhausted) && inflight == 0) {
                finished = true;
                if (active.decrementAndGet() == 0) idle.complete(null);
            }
        }
    }

    /** Operations of the write workload: SET (write) or GET (read) on {@code prefix + index}. */
    public static OpSource workload(KeyDistribution keys, double writeRatio, byte[] value, String prefix) {
        byte[] set = "SET".getBytes(StandardCharsets.US_ASCII);
        byte[] get = "GET".getBytes(StandardCharsets.US_ASCII);
        return (rnd, op) -> {
            byte[] key = (prefix + keys.next(rnd)).getBytes(StandardCharsets.US_ASCII);
            if (writeRatio >= 1 || rnd.nextDouble() < writeRatio) op.set(true, set, key, value);
            else op.set(false, get, key);
            return true;
        };
    }

    /** Operations of the fill: SET of every key from 0 to keys-1, once. Shared by all senders. */
    public static OpSource fill(long keys, byte[] value, String prefix) {
        byte[] set = "SET".getBytes(StandardCharsets.US_ASCII);
        AtomicLong next = new AtomicLong();
        return (rnd, op) -> {
            long k = next.getAndIncrement();
            if (k >= keys) return false;
            op.set(true, set, (prefix + k).getBytes(StandardCharsets.US_ASCII), value);
            return true;
        };
    }
}
