package io.maas.bench.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An nginx of the run's own ({@code nginx} on the PATH), in the foreground on a free loopback port, with its
 * configuration, pid file, logs and temporary files under {@code dir}; stopped (and only it) on close.
 */
final class Nginx implements AutoCloseable {

    private final Process process;
    private final int port;

    /** {@code server}: the {@code http} block's servers, where {@code {port}} stands for this nginx's port. */
    private Nginx(Path dir, String name, int workers, String server) throws IOException, InterruptedException {
        this.port = freePort();
        Path home = Files.createDirectories(dir.resolve(name)).toAbsolutePath();
        Files.createDirectories(home.resolve("tmp"));
        String conf = """
                worker_processes %d;
                pid %s/nginx.pid;
                error_log %s/error.log warn;
                events { worker_connections 8192; }
                http {
                    access_log off;
                    keepalive_requests 10000000;
                    keepalive_timeout 120s;
                    client_body_temp_path %s/tmp;
                    proxy_temp_path %s/tmp;
                    fastcgi_temp_path %s/tmp;
                    uwsgi_temp_path %s/tmp;
                    scgi_temp_path %s/tmp;
                %s
                }
                """.formatted(workers, home, home, home, home, home, home, home, server.replace("{port}", Integer.toString(port)).indent(4));
        Path file = home.resolve("nginx.conf");
        Files.writeString(file, conf);
        this.process = new ProcessBuilder("nginx", "-p", home.toString(), "-e", home.resolve("error.log").toString(),
                "-c", file.toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(home.resolve("stdout.log").toFile()).start();
        awaitPort(name, home);
    }

    /**
     * A canned engine: every {@code POST /v1/chat/completions} gets {@code answer} at once (a complete chat completion with
     * usage); {@code /health} and {@code /engine/status} answer as an idle, ready engine adapter does.
     */
    static Nginx cannedEngine(Path dir, String answer, String status) throws IOException, InterruptedException {
        return new Nginx(dir, "canned-engine", 1, """
                server {
                    listen 127.0.0.1:{port} backlog=4096;
                    location = /v1/chat/completions { default_type application/json; return 200 '%s'; }
                    location = /engine/status { default_type application/json; return 200 '%s'; }
                    location = /health { default_type application/json; return 200 '{"status":"UP"}'; }
                }""".formatted(answer, status));
    }

    /** The reference: {@code proxy_pass} to {@code upstream} with {@code workers} worker processes and kept-alive upstream connections. */
    static Nginx reverseProxy(Path dir, URI upstream, int workers) throws IOException, InterruptedException {
        return new Nginx(dir, "proxy", workers, proxyTo(upstream, ""));
    }

    /** The streams reference: {@code proxy_pass} to {@code upstream} that relays every event at once ({@code proxy_buffering off}). */
    static Nginx streamProxy(Path dir, URI upstream, int workers) throws IOException, InterruptedException {
        return new Nginx(dir, "stream-proxy", workers, proxyTo(upstream, """
                        proxy_buffering off;
                        proxy_read_timeout 600s;
                """));
    }

    /** A server passing everything to {@code upstream} over kept-alive HTTP/1.1 connections, with {@code directives} added. */
    private static String proxyTo(URI upstream, String directives) {
        return """
                upstream engine {
                    server %s:%d;
                    keepalive 128;
                }
                server {
                    listen 127.0.0.1:{port} backlog=4096;
                    location / {
                        proxy_pass http://engine;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                %s    }
                }""".formatted(upstream.getHost(), upstream.getPort(), directives);
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitPort(String name, Path home) throws InterruptedException, IOException {
        for (int i = 0; i < 200; i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx (" + name + ") ended: " + Files.readString(home.resolve("stdout.log"))
                        + (Files.exists(home.resolve("error.log")) ? Files.readString(home.resolve("error.log")) : ""));
            }
            try {
                new Socket("127.0.0.1", port).close();
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nginx (" + name + ") did not listen on port " + port + " within 10 s; see " + home);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
