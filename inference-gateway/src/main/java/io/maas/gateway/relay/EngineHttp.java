package io.maas.gateway.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 to engine adapters, blocking on the caller's virtual thread, over connections kept alive per endpoint.
 * The gateway's hot path calls engines once per request: this does it with one write and, for a small answer, one
 * read, where {@code java.net.http} hands each exchange between its selector thread, its executor and the caller.
 *
 * <p><b>Answers.</b> {@link #send} returns once the head of the answer arrived, with its body as a stream that
 * decodes a fixed length, chunks, or reads until the engine closes. A body read to its end gives its connection
 * back for the next request; one closed before its end (the client left, {@link EngineWatch} cut it off) closes the
 * connection, so the engine sees it and aborts the work.
 *
 * <p><b>Kept-alive connections.</b> A connection idle for longer than {@code idleLimit} is closed instead of reused
 * (engines close theirs after a few seconds: uvicorn's default is 5 s). A request on a reused connection that
 * fails before any byte of an answer came back (the engine closed it as the request went out) is sent once more,
 * on a new connection: a server closes only a connection with no request in it, so the engine never saw it.
 *
 * <p>Plain HTTP only: engines are reached inside the cluster, TLS ends at the gateway's ingress.
 */
final class EngineHttp implements AutoCloseable {

    /** The engine could not be reached: nothing was sent. */
    static final class Unreachable extends IOException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The request was sent and the head of the answer did not come within its time. */
    static final class NoAnswerInTime extends IOException {
        NoAnswerInTime(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** An answer's status and its body (closed by the caller). */
    record Response(int status, InputStream body) {
    }

    private static final int MAX_IDLE_PER_ENDPOINT = 256;
    private static final int BUFFER = 16 * 1024;
    /** A request body larger than this may not fit the socket's send buffer: its write is bounded by a timer. */
    private static final int LARGE_BODY = 64 * 1024;

    private final int connectMillis;
    private final long idleLimitNanos;
    private final Map<String, Deque<Connection>> idle = new ConcurrentHashMap<>();
    private final ScheduledExecutorService writeTimer;
    private volatile boolean closed;

    EngineHttp(Duration connectTimeout, Duration idleLimit) {
        this.connectMillis = Math.clamp(connectTimeout.toMillis(), 1, Integer.MAX_VALUE);
        this.idleLimitNanos = idleLimit.toNanos();
        var timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("engine-write-timer").factory());
        timer.setRemoveOnCancelPolicy(true);
        this.writeTimer = timer;
    }

    /**
     * Sends {@code body} ({@code null}: none) to {@code uri} and waits up to {@code headTimeout} for the head of the
     * answer. {@code headers} are name, value pairs.
     *
     * @throws Unreachable    no connection could be made
     * @throws NoAnswerInTime the head did not come in time (the connection is closed: the engine aborts)
     * @throws IOException    the connection broke before the head came
     */
    Response send(URI uri, String method, byte[] body, Duration headTimeout, String... headers) throws IOException {
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new Unreachable("engine endpoints are reached over plain HTTP inside the cluster, not " + uri.getScheme(), null);
        }
        String authority = uri.getHost() + ":" + port(uri);
        byte[] request = request(uri, authority, method, body, headers);
        int headMillis = Math.clamp(headTimeout.toMillis(), 1, Integer.MAX_VALUE);
        Connection reused = takeIdle(authority);
        if (reused != null) {
            try {
                return reused.exchange(request, headMillis);
            } catch (Stale e) {
                reused.close(); // closed by the engine while idle: it never read the request
            }
        }
        Connection fresh = connect(uri, authority);
        try {
            return fresh.exchange(request, headMillis);
        } catch (Stale e) {
            throw (IOException) e.getCause();
        }
    }

    @Override
    public void close() {
        closed = true;
        writeTimer.shutdownNow();
        idle.values().forEach(connections -> {
            for (Connection c; (c = connections.pollFirst()) != null; ) {
                c.close();
            }
        });
    }

    private static int port(URI uri) {
        return uri.getPort() == -1 ? 80 : uri.getPort();
    }

    private static byte[] request(URI uri, String authority, String method, byte[] body, String... headers) {
        var head = new StringBuilder(256).append(method).append(' ')
                .append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            head.append('?').append(uri.getRawQuery());
        }
        head.append(" HTTP/1.1\r\nHost: ").append(authority).append("\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null || body.length == 0) {
            return start;
        }
        byte[] whole = new byte[start.length + body.length];
        System.arraycopy(start, 0, whole, 0, start.length);
        System.arraycopy(body, 0, whole, start.length, body.length);
        return whole;
    }

    private Connection takeIdle(String authority) {
        Deque<Connection> connections = idle.get(authority);
        if (connections == null) {
            return null;
        }
        long now = System.nanoTime();
        for (Connection c; (c = connections.pollFirst()) != null; ) {
            if (now - c.idleSince < idleLimitNanos) {
                return c;
            }
            c.close();
        }
        return null;
    }

    private void giveBack(Connection connection) {
        Deque<Connection> connections = idle.computeIfAbsent(connection.authority, a -> new LinkedBlockingDeque<>(MAX_IDLE_PER_ENDPOINT));
        connection.idleSince = System.nanoTime();
        if (closed || !connections.offerFirst(connection)) {
            connection.close();
            return;
        }
        if (closed && connections.remove(connection)) {
            connection.close();
        }
    }

    private Connection connect(URI uri, String authority) throws Unreachable {
        var socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(uri.getHost(), port(uri)), connectMillis);
            return new Connection(socket, authority);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new Unreachable(e instanceof ConnectException || e instanceof SocketTimeoutException
                    ? e.getMessage() : e.toString(), e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with it
        }
    }

    /** A reused connection failed before any byte of the answer: the cause, to be retried on a new connection. */
    private static final class Stale extends Exception {
        Stale(IOException cause) {
            super(cause);
        }
    }

    /** One kept-alive connection and its read buffer. Used by one request at a time. */
    private final class Connection {

        private final Socket socket;
        private final String authority;
        private final InputStream in;
        private final OutputStream out;
        private boolean reused;
        private final byte[] buffer = new byte[BUFFER];
        private int position;
        private int limit;
        private long received;
        private volatile boolean cutOff;
        volatile long idleSince;

        Connection(Socket socket, String authority) throws IOException {
            this.socket = socket;
            this.authority = authority;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        Response exchange(byte[] request, int headMillis) throws IOException, Stale {
            received = 0;
            try {
                // a socket write has no timeout: an engine that takes a large body and never reads it is cut off by a timer
                ScheduledFuture<?> cutOff = request.length > LARGE_BODY ? cutOffAfter(headMillis) : null;
                try {
                    out.write(request);
                    out.flush();
                } finally {
                    if (cutOff != null) {
                        cutOff.cancel(false);
                    }
                }
                socket.setSoTimeout(headMillis);
                int status;
                Head head;
                do {
                    head = readHead();
                    status = head.status;
                } while (status >= 100 && status < 200);
                socket.setSoTimeout(0);
                return new Response(status, body(head));
            } catch (SocketTimeoutException e) {
                close();
                throw new NoAnswerInTime("no answer within " + headMillis + " ms", e);
            } catch (IOException e) {
                if (cutOff) {
                    throw new NoAnswerInTime("the engine did not take the request within " + headMillis + " ms", e);
                }
                if (reused && received == 0) {
                    throw new Stale(e);
                }
                close();
                throw e;
            }
        }

        private record Head(int status, long length, boolean chunked, boolean keepAlive) {
        }

        private Head readHead() throws IOException {
            String statusLine = line(false);
            if (statusLine == null || !statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new IOException(statusLine == null ? "connection closed before an answer" : "not an HTTP/1.x answer: " + statusLine);
            }
            boolean http10 = statusLine.startsWith("HTTP/1.0");
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean keepAlive = !http10;
            for (String header = line(true); !header.isEmpty(); header = line(true)) {
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                } else if (name.equalsIgnoreCase("Connection")) {
                    String v = value.toLowerCase(Locale.ROOT);
                    keepAlive = v.contains("close") ? false : v.contains("keep-alive") || keepAlive;
                }
            }
            return new Head(status, length, chunked, keepAlive);
        }

        private InputStream body(Head head) {
            if (head.status == 204 || head.status == 304) {
                return new Fixed(0, head.keepAlive);
            }
            if (head.chunked) {
                return new Chunked(head.keepAlive);
            }
            if (head.length >= 0) {
                return new Fixed(head.length, head.keepAlive);
            }
            return new UntilClosed();
        }

        /**
         * A line of the head or of the chunk framing, without its CRLF; at the end of the stream, null, or when
         * {@code required} an {@link IOException}.
         */
        private String line(boolean required) throws IOException {
            var line = new StringBuilder(64);
            while (true) {
                if (position == limit && fill() < 0) {
                    if (line.isEmpty() && !required) {
                        return null;
                    }
                    throw new IOException("the engine closed the connection in the middle of its answer's framing");
                }
                byte b = buffer[position++];
                if (b == '\n') {
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    return line.toString();
                }
                if (line.length() > 8192) {
                    throw new IOException("a line of the answer's framing over 8 KiB");
                }
                line.append((char) (b & 0xff));
            }
        }

        private int fill() throws IOException {
            position = 0;
            limit = 0;
            int n = in.read(buffer, 0, buffer.length);
            if (n > 0) {
                limit = n;
                received += n;
            }
            return n;
        }

        /** Up to {@code length} bytes of the body, from the buffer first; -1 at the end of the stream. */
        private int read(byte[] target, int offset, int length) throws IOException {
            if (position == limit) {
                if (length >= buffer.length) {
                    int n = in.read(target, offset, length); // large reads go straight to the caller's array
                    if (n > 0) {
                        received += n;
                    }
                    return n;
                }
                if (fill() < 0) {
                    return -1;
                }
            }
            int n = Math.min(length, limit - position);
            System.arraycopy(buffer, position, target, offset, n);
            position += n;
            return n;
        }

        /** The body was read to its end: the connection serves the next request, or is closed. */
        private void finished(boolean keepAlive) {
            if (keepAlive) {
                reused = true;
                giveBack(this);
            } else {
                close();
            }
        }

        void close() {
            closeQuietly(socket);
        }

        /** Closes the connection in {@code millis} unless the returned timer is cancelled first. */
        private ScheduledFuture<?> cutOffAfter(int millis) {
            try {
                return writeTimer.schedule(() -> {
                    cutOff = true;
                    close();
                }, millis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                return null; // shutting down: the write is cut off with the connections
            }
        }

        /** A body framed by Content-Length. */
        private final class Fixed extends Body {
            private long left;

            Fixed(long length, boolean keepAlive) {
                super(keepAlive);
                this.left = length;
                if (length == 0) {
                    end();
                }
            }

            @Override
            int next(byte[] target, int offset, int length) throws IOException {
                if (left == 0) {
                    return -1;
                }
                int n = Connection.this.read(target, offset, (int) Math.min(length, left));
                if (n < 0) {
                    throw new IOException("the engine closed the connection " + left + " bytes before the end of its answer");
                }
                left -= n;
                if (left == 0) {
                    end();
                }
                return n;
            }
        }

        /**
         * A body in chunks ({@code Transfer-Encoding: chunked}). A chunk's closing CRLF is read with the next chunk's
         * size, so that a chunk is handed on as soon as its data is here.
         */
        private final class Chunked extends Body {
            private long left;
            private boolean first = true;

            Chunked(boolean keepAlive) {
                super(keepAlive);
            }

            @Override
            int next(byte[] target, int offset, int length) throws IOException {
                if (left == 0) {
                    if (!first && !line(true).isEmpty()) {
                        throw new IOException("a chunk not followed by CRLF");
                    }
                    first = false;
                    String size = line(true);
                    int extension = size.indexOf(';');
                    try {
                        left = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
                    } catch (NumberFormatException e) {
                        throw new IOException("not a chunk size: " + size, e);
                    }
                    if (left == 0) {
                        while (!line(true).isEmpty()) {
                            // trailers: nothing the gateway reads
                        }
                        end();
                        return -1;
                    }
                }
                int n = Connection.this.read(target, offset, (int) Math.min(length, left));
                if (n < 0) {
                    throw new IOException("the engine closed the connection in the middle of a chunk");
                }
                left -= n;
                return n;
            }
        }

        /** A body that ends when the engine closes the connection. */
        private final class UntilClosed extends Body {
            UntilClosed() {
                super(false);
            }

            @Override
            int next(byte[] target, int offset, int length) throws IOException {
                int n = Connection.this.read(target, offset, length);
                if (n < 0) {
                    end();
                }
                return n;
            }
        }

        /** A body read from this connection; at its end the connection is given back or closed, once. */
        private abstract class Body extends InputStream {
            private final boolean keepAlive;
            private volatile boolean ended;
            private volatile boolean closed; // also by EngineWatch's timer, cutting the engine off

            Body(boolean keepAlive) {
                this.keepAlive = keepAlive;
            }

            abstract int next(byte[] target, int offset, int length) throws IOException;

            final void end() {
                if (!ended) {
                    ended = true;
                    finished(keepAlive);
                }
            }

            @Override
            public int read(byte[] target, int offset, int length) throws IOException {
                if (closed) {
                    throw new IOException("the engine's answer was closed");
                }
                if (length == 0) {
                    return 0;
                }
                if (ended) {
                    return -1;
                }
                try {
                    return next(target, offset, length);
                } catch (IOException e) {
                    ended = true;
                    Connection.this.close();
                    throw e;
                }
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            /** Before its end: closes the connection, so the engine sees the request abandoned. */
            @Override
            public void close() {
                closed = true;
                if (!ended) {
                    ended = true;
                    Connection.this.close();
                }
            }
        }
    }
}
