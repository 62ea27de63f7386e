package dev.modelgate.gateway.telemetry.batch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive use of a spool or write-ahead-log folder by one writer. Two gateways sharing a folder
 * would replay each other's batches and overwrite each other's segments, so the second one is refused
 * at start with a message that says why. An OS file lock: it goes away with the process, also on kill -9.
 */
final class FolderLock implements AutoCloseable {

    private static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static FolderLock acquire(Path dir, String what) throws IOException {
        Files.createDirectories(dir);
        FileChannel channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException(what + " " + dir + " is in use by another writer: give every gateway replica folders of its own");
        }
        return new FolderLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
