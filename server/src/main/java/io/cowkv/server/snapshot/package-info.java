/**
 * Snapshots: BGSAVE/SAVE coordination ({@link io.cowkv.server.snapshot.SnapshotCoordinator}), the
 * walk -> encode -> write pipeline into {@code temp-<id>.rdb} with fsync and atomic rename
 * ({@code DumpFile}), start-up loading ({@link io.cowkv.server.snapshot.DumpLoader}) and the INFO
 * persistence fields ({@link io.cowkv.server.snapshot.PersistenceState}).
 *
 * <p>Contracts: the keyspace is read only through {@link io.cowkv.server.keyspace.FrozenKeyspace}
 * views (loading writes through the ordinary {@code Database} API before connections are
 * accepted); the keyspace thread freezes and closes views and never waits for the disk during a
 * BGSAVE; the snapshot thread only reads its view and writes files. This package never imports
 * {@code bootstrap}: it logs through {@link io.cowkv.server.snapshot.SnapshotLog}. See
 * docs/persistence.md.
 */
package io.cowkv.server.snapshot;
