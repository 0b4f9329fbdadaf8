package io.cowkv.server.memory;

/**
 * An access outside mapped pages, or (with bounds checks on) outside a live allocation. Thrown
 * instead of touching native memory outside the arena's frames. With bounds checks on, the whole
 * range is validated first, so a failed write wrote nothing; without them, a write spanning several
 * pages may have written the pages before the first unmapped one.
 */
public final class ArenaAccessException extends IndexOutOfBoundsException {
    private static final long serialVersionUID = 1L;

    public ArenaAccessException(String message) {
        super(message);
    }
}
