package io.cowkv.server.memory;

/**
 * Immutable configuration of an {@link Arena}.
 *
 * <ul>
 *   <li>{@code pageSize}: bytes per logical page and per native frame; a power of two from 4096
 *       to 65536, default 4096 (the granularity of fork on Linux, so copy-on-write figures compare
 *       with Redis).</li>
 *   <li>{@code framesPerChunk}: frames carved out of one native chunk allocated through Chronicle
 *       Bytes; a power of two, default 256 (1 MiB chunks with 4 KiB pages).</li>
 *   <li>{@code boundsChecks}: validate every access of the live arena against the allocation it
 *       falls in and throw {@link ArenaAccessException} otherwise. Default: the system property
 *       {@code cowkv.arena.checks} ({@code false} when unset). Without it, every access is still
 *       confined to mapped frames by construction (see {@link Arena}).</li>
 * </ul>
 */
public final class ArenaConfig {
    public static final int MIN_PAGE_SIZE = 4096;
    public static final int MAX_PAGE_SIZE = 65536;
    public static final int DEFAULT_PAGE_SIZE = 4096;
    public static final int DEFAULT_FRAMES_PER_CHUNK = 256;
    /** System property that switches bounds checks on by default. */
    public static final String CHECKS_PROPERTY = "cowkv.arena.checks";

    private final int pageSize;
    private final int framesPerChunk;
    private final boolean boundsChecks;

    private ArenaConfig(int pageSize, int framesPerChunk, boolean boundsChecks) {
        if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("pageSize must be a power of two in [4096, 65536]: " + pageSize);
        }
        if (framesPerChunk < 1 || Integer.bitCount(framesPerChunk) != 1
                || (long) framesPerChunk * pageSize > (1L << 30)) {
            throw new IllegalArgumentException(
                    "framesPerChunk must be a power of two with framesPerChunk*pageSize <= 1 GiB: " + framesPerChunk);
        }
        this.pageSize = pageSize;
        this.framesPerChunk = framesPerChunk;
        this.boundsChecks = boundsChecks;
    }

    /** Defaults: 4 KiB pages, 256 frames per chunk, bounds checks from {@value #CHECKS_PROPERTY}. */
    public static ArenaConfig defaults() {
        return new ArenaConfig(DEFAULT_PAGE_SIZE, DEFAULT_FRAMES_PER_CHUNK, Boolean.getBoolean(CHECKS_PROPERTY));
    }

    public static ArenaConfig of(int pageSize, int framesPerChunk, boolean boundsChecks) {
        return new ArenaConfig(pageSize, framesPerChunk, boundsChecks);
    }

    public ArenaConfig withPageSize(int pageSize) {
        return new ArenaConfig(pageSize, framesPerChunk, boundsChecks);
    }

    public ArenaConfig withFramesPerChunk(int framesPerChunk) {
        return new ArenaConfig(pageSize, framesPerChunk, boundsChecks);
    }

    public ArenaConfig withBoundsChecks(boolean boundsChecks) {
        return new ArenaConfig(pageSize, framesPerChunk, boundsChecks);
    }

    public int pageSize() {
        return pageSize;
    }

    public int framesPerChunk() {
        return framesPerChunk;
    }

    public boolean boundsChecks() {
        return boundsChecks;
    }

    @Override
    public String toString() {
        return "ArenaConfig[pageSize=" + pageSize + ", framesPerChunk=" + framesPerChunk
                + ", boundsChecks=" + boundsChecks + "]";
    }
}
