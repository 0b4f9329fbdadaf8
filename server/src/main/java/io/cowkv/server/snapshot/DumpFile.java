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
 * <p>Contract: runs entirely on the calling thread (the snapshot thread for BGSAVE, the keyspace
 * thread for SAVE) and only reads the view. On any failure or cancellation the temp file is
 * deleted and the dump file is left as it was; the exception message is the log line Redis would
 * write. Keys whose TTL had already passed at the freeze are not written (they are no longer part
 * of the data set) and are counted as skipped.
 */
final class DumpFile {
    private DumpFile() {
    }

    /** What to write, fixed on the keyspace thread when the save starts. */
    record Settings(Path dir, String dbfilename, String tempName, boolean compression, boolean checksum,
                    String redisVersion, long usedMemory, long keyDelayMicros, long yieldMicros, long syncEveryBytes) {
        /** With Redis's default {@code rdb-save-incremental-fsync yes}: a data sync every {@link #AUTOSYNC_BYTES}. */
        Settings(Path dir, String dbfilename, String tempName, boolean compression, boolean checksum,
                 String redisVersion, long usedMemory, long keyDelayMicros, long yieldMicros) {
            this(dir, dbfilename, tempName, compression, checksum, redisVersion, usedMemory, keyDelayMicros,
                    yieldMicros, AUTOSYNC_BYTES);
        }

        /** The same with {@code yieldMicros} 0: for a save that everything else waits for (SAVE, SHUTDOWN). */
        Settings withoutYields() {
            return new Settings(dir, dbfilename, tempName, compression, checksum, redisVersion, usedMemory,
                    keyDelayMicros, 0, syncEveryBytes);
        }
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
        FileChannel ch;
        try {
            ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
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
