package io.deskfleet.agent.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe writes for everything the agent must not lose (credential, markers, spooled results, power state):
 * the bytes go to a temp file in the same directory, are fsynced, then renamed over the target atomically, and the
 * directory is fsynced so the rename itself survives a power cut. Files end up owner-only (0600) on POSIX because
 * {@link Files#createTempFile} creates them so.
 */
public final class DurableFiles {
    private DurableFiles() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        replace(target, content, true);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Atomic like {@link #write} (a reader sees the old or the new content), but not fsynced: it survives the agent
     * process dying, not a power cut. For files whose loss after a power cut costs nothing: with two fsyncs each,
     * every one of them slowed each command down (50 agents on one disk queue behind each other's fsyncs).
     */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        replace(target, content, false);
    }

    private static void replace(Path target, byte[] content, boolean force) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (force) {
                    ch.force(true);
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Makes a create, rename or delete inside {@code dir} durable. */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory as a channel; NTFS journals the metadata change itself.
        }
    }
}
