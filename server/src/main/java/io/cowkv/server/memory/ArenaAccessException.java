package io.cowkv.server.memory;

/**
 * An access outside mapped pages, or (with bounds checks on) outside a live allocation. Thrown
 * instead of touching native memory; the arena is unchanged by the failed access.
 */
public final class ArenaAccessException extends IndexOutOfBoundsException {
    private static final long serialVersionUID = 1L;

    public ArenaAccessException(String message) {
        super(message);
    }
}
