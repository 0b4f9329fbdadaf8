/**
 * The off-heap, paged, copy-on-write arena that holds the whole data set (see docs/arena.md).
 *
 * <ul>
 *   <li>{@link io.cowkv.server.memory.Arena}: logical addresses ({@code page << pageShift | offset}),
 *       native frames carved from Chronicle Bytes chunks and recycled through a free-frame pool,
 *       a two-level copy-on-write page table, a size-class slab / page-run allocator whose
 *       metadata lives outside the arena's pages (native blocks, {@code BlockArrays}), a write barrier on every write path, accounting.</li>
 *   <li>{@link io.cowkv.server.memory.FrozenView}: what {@link io.cowkv.server.memory.Arena#freeze()}
 *       returns; read-only, readable from one other thread while the owner keeps writing.</li>
 *   <li>{@link io.cowkv.server.memory.ArenaConfig}, {@link io.cowkv.server.memory.ArenaStats},
 *       {@link io.cowkv.server.memory.NativeChunkConsumer},
 *       {@link io.cowkv.server.memory.ArenaAccessException}.</li>
 * </ul>
 *
 * <h2>Snapshots: one at a time</h2>
 * At most one frozen view may be open per arena. {@code freeze()} throws
 * {@link java.lang.IllegalStateException} while one is open. (Sharing is tracked with one epoch
 * stamp per frame and per leaf, not with reference counts; several open snapshots would need
 * per-frame reference counts.)
 *
 * <h2>Threads</h2>
 * An arena is confined to its owner thread (the keyspace thread): allocation, free, every read and
 * write, {@code freeze()}, and the frozen view's {@code close()}. The only exception: one other
 * thread may read a frozen view after receiving it through a happens-before edge (executor, queue,
 * thread start). The owner never writes a leaf or a frame a frozen view points to, and never reuses
 * them before the view is closed. {@code Arena.close()} refuses while a view is open.
 *
 * <h2>Memory safety</h2>
 * Every native access is translated one page at a time and clipped to its page; unmapped pages
 * throw {@link io.cowkv.server.memory.ArenaAccessException} before any native access, so no call
 * can touch memory outside the arena's frames. With bounds checks on (system property
 * {@code cowkv.arena.checks=true}, or {@link io.cowkv.server.memory.ArenaConfig#withBoundsChecks}),
 * every live access must also lie within one live allocation (its usable size).
 */
package io.cowkv.server.memory;
