package io.cowkv.server.command.server;

/** CowKV's own version (from the jar manifest) and the Redis version whose behaviour it follows. */
public final class CowkvVersion {
    private CowkvVersion() {
    }

    /** The Redis release CowKV is compatible with; reported as redis_version and by HELLO. */
    public static final String REDIS_COMPATIBLE = "7.0.15";

    public static final String VERSION = version();

    private static String version() {
        String v = CowkvVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
