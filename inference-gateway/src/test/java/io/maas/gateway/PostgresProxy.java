package io.maas.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay in front of the local PostgreSQL that a test can take down (every connection cut, new
 * ones refused) and bring back: a database outage as the gateway's driver sees it, without stopping
 * the server other tests share.
 */
final class PostgresProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean down;

    PostgresProxy(String host, int port) {
        try {
            server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        target = new InetSocketAddress(host, port);
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Cuts every connection and refuses new ones until {@link #up()}. */
    void down() {
        down = true;
        open.forEach(PostgresProxy::closeQuietly);
        open.clear();
    }

    void up() {
        down = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (down) {
                    closeQuietly(client);
                    continue;
                }
                Socket db = new Socket(target.getAddress(), target.getPort());
                open.add(client);
                open.add(db);
                Thread.ofVirtual().start(() -> pump(client, db));
                Thread.ofVirtual().start(() -> pump(db, client));
            } catch (IOException e) {
                // closed, or PostgreSQL refused: the client sees its connection end
            }
        }
    }

    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // one side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        down();
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
