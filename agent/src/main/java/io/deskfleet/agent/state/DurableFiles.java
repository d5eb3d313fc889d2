package io.deskfleet.agent.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Crash-safe writes for everything the agent must not lose (credential, markers, spooled results, power state):
 * the bytes go to a temp file in the same directory, are fsynced, then renamed over the target atomically, and the
 * directory is fsynced so the rename itself survives a power cut. Files end up owner-only (0600) on POSIX because
 * {@link Files#createTempFile} creates them so.
 */
public final class DurableFiles {
    private static final Set<StandardOpenOption> WRITE_ONCE = Set.of(
            StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    private static final FileAttribute<?>[] OWNER_ONLY =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))}
                    : new FileAttribute<?>[0];

    private DurableFiles() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        replace(target, content);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Durable like {@link #write}, for a file that is written once and never replaced (a marker, a spooled result):
     * written in place, without the temp file and the rename, which on a host of many agents were a fifth of an
     * agent's CPU per command. A process that dies cannot leave it torn, since its content goes in one write; a power
     * cut before the fsync returned can, so a reader must take unreadable content for "never written".
     */
    public static void writeOnce(Path target, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(target, WRITE_ONCE, OWNER_ONLY)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    private static void replace(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
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
