/**
 * Redis RDB snapshot files as a plain library (JDK + compress-lzf only): write them with
 * {@link io.cowkv.rdb.RdbWriter}, read them with {@link io.cowkv.rdb.RdbReader} and an
 * {@link io.cowkv.rdb.RdbVisitor}.
 *
 * <p>Contracts:
 * <ul>
 *   <li>Redis 7 is the specification: files written here pass {@code redis-check-rdb} and load into
 *       redis-server 7.0+ (version 10 by default); the reader reads what Redis 2.x to 7.4 wrote
 *       (RDB versions 1 to 12).</li>
 *   <li>Keys, values and elements are {@code byte[]}; the library never interprets them as text.</li>
 *   <li>Both sides stream: the writer holds at most one small collection (below the listpack
 *       thresholds) or one quicklist node; the reader holds at most one encoded blob or string.</li>
 *   <li>Bad input raises {@link io.cowkv.rdb.RdbFormatException} (an {@code IOException}) with the
 *       byte offset, and only that; lengths are capped and read incrementally.</li>
 *   <li>Writers and readers are single-threaded objects; there is no shared mutable state.</li>
 * </ul>
 * Subpackages: {@code encoding} (listpack, ziplist, zipmap, intset codecs, Redis number rules),
 * {@code lzf} (raw LZF blocks), {@code tool} (the {@code check}/{@code dump} command line tool).
 */
package io.cowkv.rdb;
