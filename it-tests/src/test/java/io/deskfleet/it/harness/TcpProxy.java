package io.deskfleet.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on a free local port in front of another port, to cut a network path the way a partition does:
 * {@link #pause()} stops forwarding bytes but keeps every socket open (a silent network: neither side sees a close),
 * {@link #drop()} closes every connection and refuses new ones (a broken network), {@link #resume()} ends either.
 * Bytes read while paused are held and forwarded on resume, in order. A test tool: two threads per connection.
 */
public final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private boolean paused;
    private volatile boolean dropped;
    private volatile boolean closed;

    public TcpProxy(int targetPort) {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon(this::accept, "proxy-accept-" + port()).start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** host:port for an agent's --server. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public void pause() {
        synchronized (gate) {
            paused = true;
        }
    }

    public void drop() {
        dropped = true;
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    public void resume() {
        dropped = false;
        synchronized (gate) {
            paused = false;
            gate.notifyAll();
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (dropped) {
                closeQuietly(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(target, 2_000);
            } catch (IOException e) {
                // Nothing listens behind the proxy (the control plane is down): the client sees a close.
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            sockets.add(client);
            sockets.add(upstream);
            daemon(() -> pump(client, upstream), "proxy-up-" + client.getPort()).start();
            daemon(() -> pump(upstream, client), "proxy-down-" + client.getPort()).start();
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                awaitOpen();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // One side closed or the connection was dropped: the other side gets a close too.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private void awaitOpen() throws InterruptedException {
        synchronized (gate) {
            while (paused) {
                gate.wait();
            }
        }
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // Already closed.
        }
        drop();
        resume();
    }
}
