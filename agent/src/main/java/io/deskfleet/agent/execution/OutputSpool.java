package io.deskfleet.agent.execution;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The whole output of one invocation up to its cap, kept so that any part of it can be sent again until the result
 * is acknowledged. The first bytes stay in memory; output that outgrows them goes to a file in the invocation's
 * directory (memory first, so the common small output costs no file). Memory stays bounded whatever the cap.
 * Used by the runner thread only.
 */
final class OutputSpool implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OutputSpool.class.getName());

    private long cap;
    private final int memoryBytes;
    private final Path file;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private FileChannel channel;
    private long size;
    private boolean truncated;

    /**
     * @param cap         bytes kept in all; more is counted as truncated and dropped
     * @param memoryBytes bytes kept in memory before everything moves to {@code file}
     */
    OutputSpool(long cap, int memoryBytes, Path file) {
        this.cap = cap;
        this.memoryBytes = memoryBytes;
        this.file = file;
    }

    /**
     * Keeps what fits under the cap. A file that cannot be written (disk full) ends the keeping: the output is then
     * reported cut where the spool stopped, and the command itself goes on.
     */
    void append(byte[] data, int length) {
        int kept = (int) Math.min(length, cap - size);
        if (kept < length) {
            truncated = true;
        }
        if (kept <= 0) {
            return;
        }
        try {
            if (channel == null && size + kept > memoryBytes) {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE, StandardOpenOption.READ);
                writeFully(ByteBuffer.wrap(head.toByteArray()), 0);
                head.reset();
            }
            if (channel == null) {
                head.write(data, 0, kept);
            } else {
                writeFully(ByteBuffer.wrap(data, 0, kept), size);
            }
            size += kept;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot spool output to " + file + ", keeping " + size
                    + " bytes: " + e);
            cap = size;
            truncated = true;
        }
    }

    /** Up to {@code max} bytes from {@code offset}; empty at or past the end. */
    byte[] read(long offset, int max) throws IOException {
        int length = (int) Math.max(0, Math.min(max, size - offset));
        if (length == 0) {
            return new byte[0];
        }
        if (channel == null) {
            return Arrays.copyOfRange(head.toByteArray(), (int) offset, (int) offset + length);
        }
        return readFile(channel, offset, length);
    }

    long size() {
        return size;
    }

    boolean truncated() {
        return truncated;
    }

    /** Before the result is spooled: a result that names output bytes must find them after a crash. */
    void sync() throws IOException {
        if (channel != null) {
            channel.force(false);
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    /** Up to {@code length} bytes of a spooled output file from {@code offset}. */
    static byte[] readFile(FileChannel channel, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                break;
            }
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    private void writeFully(ByteBuffer data, long position) throws IOException {
        while (data.hasRemaining()) {
            position += channel.write(data, position);
        }
    }
}
