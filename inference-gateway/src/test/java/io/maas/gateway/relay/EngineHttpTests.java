package io.maas.gateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EngineHttp} against a raw socket server that answers byte for byte as each test scripts it: framing (length,
 * chunks, until close), kept-alive connections and when they are not reused, a stale connection sent again, an answer
 * abandoned, timeouts.
 */
class EngineHttpTests {

    /** What a scripted connection does with each request it reads: answers, or not. */
    @FunctionalInterface
    interface Script {
        void answer(Request request, OutputStream out, Socket socket) throws Exception;
    }

    record Request(String head, byte[] body) {
        String header(String name) {
            return head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(null);
        }
    }

    /** A server on a loopback port running {@code script} for every request of every connection. */
    static final class Server implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0);
        final AtomicInteger connections = new AtomicInteger();
        final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
        final List<Socket> open = new CopyOnWriteArrayList<>();

        Server(Script script) throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket connection = socket.accept();
                        connections.incrementAndGet();
                        open.add(connection);
                        Thread.ofVirtual().start(() -> serve(connection, script));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private void serve(Socket connection, Script script) {
            try (connection) {
                InputStream in = connection.getInputStream();
                while (true) {
                    String head = head(in);
                    if (head == null) {
                        return;
                    }
                    var request = new Request(head, new byte[0]);
                    String length = request.header("Content-Length");
                    request = new Request(head, length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length)));
                    requests.add(request);
                    script.answer(request, connection.getOutputStream(), connection);
                    if (connection.isClosed()) {
                        return;
                    }
                }
            } catch (Exception e) {
                // the connection broke or the test ended: nothing more to serve on it
            }
        }

        private static String head(InputStream in) throws IOException {
            var head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                String text = head.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r\n\r\n")) {
                    return text;
                }
            }
            return null;
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}";

    private final EngineHttp http = new EngineHttp(Duration.ofSeconds(2), Duration.ofSeconds(30));
    private Server server;

    @AfterEach
    void stop() throws IOException {
        http.close();
        if (server != null) {
            server.close();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String readAll(EngineHttp.Response response) throws IOException {
        try (InputStream body = response.body()) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void sendsTheRequestWithItsHeadersAndReusesTheConnectionForTheNext() throws Exception {
        server = new Server((request, out, socket) -> write(out, OK));

        var first = http.send(server.uri("/v1/chat/completions?x=1"), "POST", "{\"q\":2}".getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(2), "Content-Type", "application/json", "X-Request-Id", "r1");
        assertThat(first.status()).isEqualTo(200);
        assertThat(readAll(first)).isEqualTo("{\"a\":1}");
        var second = http.send(server.uri("/engine/receipts/r1"), "GET", null, Duration.ofSeconds(2));
        assertThat(readAll(second)).isEqualTo("{\"a\":1}");

        Request sent = server.requests.take();
        assertThat(sent.head()).startsWith("POST /v1/chat/completions?x=1 HTTP/1.1\r\n");
        assertThat(sent.header("Host")).isEqualTo("127.0.0.1:" + server.socket.getLocalPort());
        assertThat(sent.header("X-Request-Id")).isEqualTo("r1");
        assertThat(sent.header("Content-Length")).isEqualTo("7");
        assertThat(new String(sent.body(), StandardCharsets.UTF_8)).isEqualTo("{\"q\":2}");
        assertThat(server.requests.take().head()).startsWith("GET /engine/receipts/r1 HTTP/1.1\r\n");
        assertThat(server.connections).hasValue(1);
    }

    @Test
    void decodesChunksAsTheyArriveWithExtensionsAndTrailers() throws Exception {
        var firstRead = new CountDownLatch(1);
        server = new Server((request, out, socket) -> {
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            write(out, "7;ext=1\r\ndata: a\r\n");
            assertThat(firstRead.await(5, TimeUnit.SECONDS)).isTrue(); // the first event reaches the reader before the rest is sent
            write(out, "B\r\ndata: bcde");
            write(out, "f\r\n0\r\nX-Trailer: t\r\n\r\n");
        });

        var response = http.send(server.uri("/v1/chat/completions"), "POST", new byte[0], Duration.ofSeconds(2));
        InputStream body = response.body();
        byte[] start = new byte[64];
        int n = body.read(start);
        assertThat(new String(start, 0, n, StandardCharsets.UTF_8)).isEqualTo("data: a");
        firstRead.countDown();
        assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("data: bcdef");
        body.close();

        readAll(http.send(server.uri("/again"), "POST", new byte[0], Duration.ofSeconds(2)));
        assertThat(server.connections).as("read to its end, the connection is reused").hasValue(1);
    }

    @Test
    void anAnswerClosedBeforeItsEndClosesTheConnectionSoTheEngineSeesItAbandoned() throws Exception {
        var abandoned = new CountDownLatch(1);
        server = new Server((request, out, socket) -> {
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            if (socket.getInputStream().read() < 0) { // the rest is never sent: the engine waits for the client's end
                abandoned.countDown();
            }
        });

        var response = http.send(server.uri("/v1/chat/completions"), "POST", new byte[0], Duration.ofSeconds(2));
        assertThat(response.body().read(new byte[5])).isEqualTo(5);
        response.body().close();

        assertThat(abandoned.await(5, TimeUnit.SECONDS)).as("the engine sees the connection closed").isTrue();
        assertThatThrownBy(() -> response.body().read()).isInstanceOf(IOException.class);
    }

    @Test
    void aKeptAliveConnectionTheEngineClosedWhileIdleIsReplacedAndTheRequestSentOnce() throws Exception {
        server = new Server((request, out, socket) -> {
            write(out, OK);
            socket.close(); // without saying so: as an engine whose keep-alive ran out
        });

        assertThat(readAll(http.send(server.uri("/a"), "POST", new byte[0], Duration.ofSeconds(2)))).isEqualTo("{\"a\":1}");
        Thread.sleep(50); // the close has reached this side
        assertThat(readAll(http.send(server.uri("/b"), "POST", new byte[0], Duration.ofSeconds(2)))).isEqualTo("{\"a\":1}");

        assertThat(server.connections).hasValue(2);
        assertThat(server.requests).hasSize(2);
    }

    @Test
    void aConnectionIdleLongerThanTheKeepAliveIsNotReused() throws Exception {
        server = new Server((request, out, socket) -> write(out, OK));
        try (var shortLived = new EngineHttp(Duration.ofSeconds(2), Duration.ofMillis(50))) {
            readAll(shortLived.send(server.uri("/a"), "GET", null, Duration.ofSeconds(2)));
            Thread.sleep(120);
            readAll(shortLived.send(server.uri("/b"), "GET", null, Duration.ofSeconds(2)));
        }
        assertThat(server.connections).hasValue(2);
    }

    @Test
    void anAnswerThatBreaksAfterItsFirstBytesIsNotSentAgain() throws Exception {
        var answered = new AtomicInteger();
        server = new Server((request, out, socket) -> {
            if (answered.getAndIncrement() == 0) {
                write(out, OK);
            } else {
                write(out, "HTTP/1.1 200 OK\r\n");
                socket.close(); // the engine got the request and broke: it may have worked on it
            }
        });

        readAll(http.send(server.uri("/a"), "POST", new byte[0], Duration.ofSeconds(2)));
        assertThatThrownBy(() -> http.send(server.uri("/b"), "POST", new byte[0], Duration.ofSeconds(2)))
                .isInstanceOf(IOException.class);
        assertThat(server.requests).hasSize(2);
    }

    @Test
    void answersThatCloseTheConnectionAreReadToTheCloseAndNotReused() throws Exception {
        server = new Server((request, out, socket) -> {
            write(out, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
            socket.close();
        });

        assertThat(readAll(http.send(server.uri("/a"), "GET", null, Duration.ofSeconds(2)))).isEqualTo("until the end");
        assertThat(readAll(http.send(server.uri("/b"), "GET", null, Duration.ofSeconds(2)))).isEqualTo("until the end");
        assertThat(server.connections).hasValue(2);
    }

    @Test
    void noHeadWithinTheTimeIsNoAnswerInTimeAndTheConnectionIsClosed() throws Exception {
        var abandoned = new CountDownLatch(1);
        server = new Server((request, out, socket) -> {
            if (socket.getInputStream().read() < 0) { // no answer: the engine is still queueing it when the client gives up
                abandoned.countDown();
            }
        });

        assertThatThrownBy(() -> http.send(server.uri("/slow"), "POST", new byte[0], Duration.ofMillis(200)))
                .isInstanceOf(EngineHttp.NoAnswerInTime.class);
        assertThat(abandoned.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aLargeBodyTheEngineNeverReadsIsCutOffAtTheHeadTimeout() throws Exception {
        try (var stuck = new ServerSocket()) {
            stuck.setReceiveBufferSize(4096);
            stuck.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            Thread.ofVirtual().start(() -> {
                try (Socket accepted = stuck.accept()) {
                    accepted.setSoTimeout(10_000);
                    Thread.sleep(10_000); // takes the connection, never reads
                } catch (Exception ignored) {
                    // the test is over
                }
            });
            byte[] large = new byte[32 * 1024 * 1024];

            assertThatThrownBy(() -> http.send(URI.create("http://127.0.0.1:" + stuck.getLocalPort() + "/v1/chat/completions"), "POST",
                    large, Duration.ofMillis(300))).isInstanceOf(EngineHttp.NoAnswerInTime.class);
        }
    }

    @Test
    void nothingListeningIsUnreachable() throws Exception {
        int port;
        try (var closed = new ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        assertThatThrownBy(() -> http.send(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"), "POST", new byte[0],
                Duration.ofSeconds(1))).isInstanceOf(EngineHttp.Unreachable.class);
        assertThatThrownBy(() -> http.send(URI.create("https://127.0.0.1:" + port + "/v1/chat/completions"), "POST", new byte[0],
                Duration.ofSeconds(1))).isInstanceOf(EngineHttp.Unreachable.class).hasMessageContaining("plain HTTP");
    }
}
