package io.cowkv.server.snapshot;

import io.cowkv.rdb.RdbWriter;
import io.cowkv.server.keyspace.FrozenKeyspace;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The walk -> encode -> write pipeline of one save: streams a {@link FrozenKeyspace} through an
 * {@link RdbWriter} into {@code temp-<id>.rdb} in the dump folder, fsyncs it, renames it
 * atomically over {@code dbfilename} and fsyncs the folder, so that at every instant the dump
 * file is either the previous complete dump or the new complete dump.
 *
 * <p>With {@code rdb-recycle-previous-dump yes} (the default) the dump being replaced is not
 * deleted: it stays as {@code previous-<dbfilename>} (a complete dump, one save older), and the
 * next save renames that file to its temp name and writes over it in place, then cuts it to the
 * new length. No save then frees a whole dump's disk blocks and page cache, or allocates new
 * ones; the cost is one more dump's worth of disk between saves (which a save needs anyway).
 *
 * <p>Contract: runs entirely on the calling thread (the snapshot thread for BGSAVE, the keyspace
 * thread for SAVE) and only reads the view. On any failure or cancellation the temp file is
 * deleted and the dump file is left as it was; the exception message is the log line Redis would
 * write. Keys whose TTL had already passed at the freeze are not written (they are no longer part
 * of the data set) and are counted as skipped.
 */
final class DumpFile {
    private DumpFile() {
    }

    /**
     * What to write, fixed on the keyspace thread when the save starts. {@code recyclePrevious}:
     * keep the dump being replaced as {@link #previousName previous-<dbfilename>} and write the
     * next save into that file's blocks (config {@code rdb-recycle-previous-dump}, see {@link #write}).
     */
    record Settings(Path dir, String dbfilename, String tempName, boolean compression, boolean checksum,
                    String redisVersion, long usedMemory, long keyDelayMicros, long yieldMicros, long syncEveryBytes,
                    boolean recyclePrevious) {
        /** With Redis's default {@code rdb-save-incremental-fsync yes}: a data sync every {@link #AUTOSYNC_BYTES}. */
        Settings(Path dir, String dbfilename, String tempName, boolean compression, boolean checksum,
                 String redisVersion, long usedMemory, long keyDelayMicros, long yieldMicros) {
            this(dir, dbfilename, tempName, compression, checksum, redisVersion, usedMemory, keyDelayMicros,
                    yieldMicros, AUTOSYNC_BYTES);
        }

        /** Without recycling: the replaced dump is deleted by the rename, as Redis does. */
        Settings(Path dir, String dbfilename, String tempName, boolean compression, boolean checksum,
                 String redisVersion, long usedMemory, long keyDelayMicros, long yieldMicros, long syncEveryBytes) {
            this(dir, dbfilename, tempName, compression, checksum, redisVersion, usedMemory, keyDelayMicros,
                    yieldMicros, syncEveryBytes, false);
        }

        /** The same with {@code yieldMicros} 0: for a save that everything else waits for (SAVE, SHUTDOWN). */
        Settings withoutYields() {
            return new Settings(dir, dbfilename, tempName, compression, checksum, redisVersion, usedMemory,
                    keyDelayMicros, 0, syncEveryBytes, recyclePrevious);
        }
    }

    /** The name under which a replaced dump is kept for recycling: {@code previous-<dbfilename>}. */
    static String previousName(String dbfilename) {
        return "previous-" + dbfilename;
    }

    /**
     * Redis's REDIS_AUTOSYNC_BYTES (7.0): with {@code rdb-save-incremental-fsync yes} the file is
     * synced every 4 MiB written, so the page cache never holds a whole dump's dirty pages that the
     * final fsync (and the kernel's flusher threads) would write in one burst.
     */
    static final long AUTOSYNC_BYTES = 4L << 20;

    /**
     * Keys written, keys skipped (expired at the freeze), bytes of the file, yields of the thread's
     * core, incremental syncs of the file before the final one.
     */
    record Result(long keysSaved, long keysSkipped, long bytes, long coreYields, long syncs) {
    }

    /** The save was cancelled (FLUSHALL, SHUTDOWN); nothing was renamed. */
    static final class CancelledException extends IOException {
        CancelledException() {
            super("save cancelled");
        }
    }

    /**
     * Writes the dump. {@code progress} receives the number of keys processed so far (readable
     * from any thread). Throws {@link CancelledException} when {@code cancel} fires first.
     */
    static Result write(FrozenKeyspace view, Settings s, AtomicLong progress, Cancellation cancel) throws IOException {
        return write(view, s, progress, cancel, null);
    }

    /**
     * As above; {@code blocks}, when not null, lets the keyspace thread serialize pages itself
     * while this runs (a BGSAVE: see {@link WriterBlocks}). Not for a save on the keyspace thread.
     */
    static Result write(FrozenKeyspace view, Settings s, AtomicLong progress, Cancellation cancel,
                        WriterBlocks blocks) throws IOException {
        Path temp = s.dir().resolve(s.tempName());
        Path target = s.dir().resolve(s.dbfilename());
        Path previous = s.recyclePrevious() ? s.dir().resolve(previousName(s.dbfilename())) : null;
        boolean recycled = previous != null && takeOver(previous, target, temp);
        if (previous != null && !recycled) {
            deleteQuietly(previous); // one that could not be taken over: the name is needed below
        }
        FileChannel ch;
        try {
            ch = recycled
                    ? FileChannel.open(temp, StandardOpenOption.WRITE)
                    : FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("Failed opening the temp RDB file " + s.tempName() + " (in server root dir "
                    + s.dir() + ") for saving: " + reason(e), e);
        }
        boolean renamed = false;
        try {
            Result r;
            try (ch) {
                r = encode(view, s, ch, progress, cancel, blocks);
                if (recycled) {
                    ch.truncate(ch.position()); // drop what is left of the recycled dump's bytes
                }
                if (!s.checksum()) {
                    // rdbchecksum no: Redis stores a zero checksum, which loaders do not verify.
                    ch.write(ByteBuffer.allocate(8), ch.size() - 8);
                }
                ch.force(true);
            } catch (CancelledException e) {
                throw e;
            } catch (IOException e) {
                throw new IOException("Write error saving DB on disk: " + reason(e), e);
            }
            cancel.commit(() -> {
                if (previous != null) {
                    keepAsPrevious(target, previous);
                }
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new IOException("Error moving temp DB file " + s.tempName() + " on the final destination "
                            + s.dbfilename() + " (in server root dir " + s.dir() + "): " + reason(e), e);
                }
            });
            renamed = true;
            try (FileChannel d = FileChannel.open(s.dir(), StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException e) {
                throw new IOException("Failed to fsync the directory " + s.dir() + " after saving " + s.dbfilename()
                        + ": " + reason(e), e);
            }
            return r;
        } finally {
            if (!renamed) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // nothing more to do: the error that got us here is what gets reported
                }
            }
        }
    }

    /**
     * Recycling, first half: makes the kept previous dump the temp file, so that this save
     * overwrites its blocks and page-cache pages in place. True when it did; false when there is
     * none, or it is the dump itself (a crash between {@link #keepAsPrevious}'s link and the
     * rename leaves two names for one file: that name is dropped, and the dump is untouched), or
     * anything fails (the save then writes a new file, as without recycling).
     */
    private static boolean takeOver(Path previous, Path target, Path temp) {
        try {
            if (!Files.isRegularFile(previous, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            if (Files.exists(target) && Files.isSameFile(previous, target)) {
                Files.delete(previous); // only a second name: the dump's data stays
                return false;
            }
            Files.move(previous, temp, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /**
     * Recycling, second half, just before the rename over the dump: gives the dump about to be
     * replaced a second name ({@code previous}, a hard link), so that the rename does not free
     * it. Why: freeing a dump's blocks and page cache at once is hundreds of MB the kernel (and,
     * in a VM, the host: discards, free-page reporting) must process, and on our 2-core VM that
     * stalled every client of the machine for 20-35 ms (docs/benchmarks-cow.md, session 17);
     * Redis has the same stall. A file system without hard links just loses the recycling.
     */
    private static void keepAsPrevious(Path target, Path previous) {
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.createLink(previous, target);
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // no previous dump kept: the rename frees the old one, as without recycling
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException | SecurityException ignored) {
            // a name we cannot remove: keepAsPrevious then fails too, and nothing is recycled
        }
    }

    private static Result encode(FrozenKeyspace view, Settings s, FileChannel ch, AtomicLong progress,
                                 Cancellation cancel, WriterBlocks blocks) throws IOException {
        OutputStream file = Channels.newOutputStream(ch);
        IncrementalSync syncing = null;
        if (s.syncEveryBytes() > 0) {
            syncing = new IncrementalSync(file, () -> ch.force(false), s.syncEveryBytes());
            file = syncing;
        }
        OutputStream out = new BufferedOutputStream(file, 1 << 16);
        RdbWriter w = new RdbWriter(out, RdbWriter.Options.defaults().withCompression(s.compression()));
        w.writeHeader();
        w.writeStandardAux(s.redisVersion(), view.frozenAtMillis() / 1000, s.usedMemory());
        long current = DumpStream.writeSizeHints(w, view);
        CoreYield yield = CoreYield.everyMicros(s.yieldMicros());
        DumpStream stream = new DumpStream(w, current, view.frozenAtMillis(), progress, cancel, s.keyDelayMicros(),
                yield, blocks);
        try {
            long writerPages = view.forEachInAddressOrder(stream, blocks);
            stream.awaitWriterPages(writerPages);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (DumpStream.Abort e) {
            throw new CancelledException();
        }
        w.finish();
        out.flush();
        return new Result(stream.saved(), stream.skipped(), w.bytesWritten(), yield.yields(),
                syncing == null ? 0 : syncing.syncs());
    }

    /** The OS's reason for a file error ("Is a directory"), as Redis's strerror. */
    static String reason(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        return String.valueOf(e.getMessage());
    }

    /**
     * Passes writes through and runs {@code sync} each time another {@code every} bytes have been
     * written since the last one (Redis's rio autosync; {@code FileChannel.force(false)} is
     * fdatasync). Not thread-safe: the saving thread only.
     */
    static final class IncrementalSync extends java.io.FilterOutputStream {
        /** A data sync of the file. */
        interface Sync {
            void run() throws IOException;
        }

        private final Sync sync;
        private final long every;
        private long sinceSync;
        private long syncs;

        IncrementalSync(OutputStream out, Sync sync, long every) {
            super(out);
            if (every <= 0) {
                throw new IllegalArgumentException("every must be positive: " + every);
            }
            this.sync = sync;
            this.every = every;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            wrote(1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            wrote(len);
        }

        private void wrote(int n) throws IOException {
            sinceSync += n;
            if (sinceSync >= every) {
                sync.run();
                syncs++;
                sinceSync = 0;
            }
        }

        /** Syncs run so far. */
        long syncs() {
            return syncs;
        }
    }
}
