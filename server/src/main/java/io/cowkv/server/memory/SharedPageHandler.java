package io.cowkv.server.memory;

/**
 * A last chance, offered by the write barrier, to take care of a page's frozen contents instead of
 * copying the page.
 *
 * <p>The barrier calls {@link #preserve} on the arena's owner thread when a write is about to touch
 * a page whose frame the open snapshot still shares and which its reader has not released (see
 * {@link FrozenView#release}). At that moment the frame still holds exactly the freeze-time bytes,
 * readable through the {@link FrozenView}. If the handler returns {@code true} it promises that
 * nothing will read that page through the view any more (it has, for instance, serialized the
 * records on it itself): the arena marks the page released and the live table adopts the frame
 * without a copy, so the write goes straight into it.
 *
 * <p>Contract: called on the owner thread only, at most once per page per snapshot, for pages that
 * existed at the freeze. It must not allocate, free or write in the arena, nor block for long (it
 * runs inside a write). It must not throw: an exception is taken as {@code false} (the page is
 * copied), so a handler that has already taken some action must record its own failure.
 */
@FunctionalInterface
public interface SharedPageHandler {
    /**
     * Returns true when the frozen contents of logical page {@code page} have been taken care of
     * and the reader will never read the page; false to have the barrier copy it as usual.
     */
    boolean preserve(int page);
}
