package io.cowkv.it;

/**
 * A CowKV process and a real redis-server started side by side for a differential test class,
 * with the same extra arguments; closing the pair stops both. Skips the test class (JUnit
 * assumption) where {@code redis-server} is not installed.
 */
final class ServerPair implements AutoCloseable {
    final CowKvProcess cowkv;
    final RedisProcess redis;

    private ServerPair(CowKvProcess cowkv, RedisProcess redis) {
        this.cowkv = cowkv;
        this.redis = redis;
    }

    /** Starts Redis, then CowKV; if CowKV fails to start, Redis is stopped again. */
    static ServerPair start(String... extraArgs) throws Exception {
        return start(false, extraArgs);
    }

    /** As {@link #start(String...)}, CowKV with Netty's leak detector on (see {@link CowKvProcess#assertNoBufferLeaks}). */
    static ServerPair startWithLeakDetection(String... extraArgs) throws Exception {
        return start(true, extraArgs);
    }

    private static ServerPair start(boolean leakDetection, String... extraArgs) throws Exception {
        RedisProcess.assumeAvailable();
        RedisProcess redis = new RedisProcess(extraArgs);
        redis.start();
        try {
            CowKvProcess cowkv = leakDetection ? CowKvProcess.withLeakDetection(extraArgs) : new CowKvProcess(extraArgs);
            cowkv.start();
            return new ServerPair(cowkv, redis);
        } catch (Exception | Error e) {
            redis.close();
            throw e;
        }
    }

    /** Fails on buffers CowKV leaked ({@link CowKvProcess#assertNoBufferLeaks}), then stops both servers either way. */
    void closeAfterLeakCheck() throws Exception {
        try {
            cowkv.assertNoBufferLeaks();
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        try {
            cowkv.close();
        } finally {
            redis.close();
        }
    }
}
