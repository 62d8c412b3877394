package io.maas.engine.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.maas.engine.EngineAdapterApplication;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The adapter answers only callers that carry the gateway's secret, and by default only this machine. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.engine.runtime=simulated", "platform.engine.secret=" + EngineAccessIT.SECRET,
        "platform.engine.simulated.output.tokens=3"})
class EngineAccessIT {

    static final String SECRET = "test-engine-secret-0123456789";
    private static final String CHAT = "{\"model\":\"simulated\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void awaitEngine() throws Exception {
        for (int i = 0; i < 200 && call("GET", "/health", null, null).statusCode() != 200; i++) {
            Thread.sleep(50);
        }
    }

    @Test
    void everyCallButHealthNeedsTheSecret() throws Exception {
        assertThat(call("GET", "/health", null, null).statusCode()).isEqualTo(200);

        assertThat(call("POST", "/v1/chat/completions", CHAT, "req-with-secret", "Bearer " + SECRET).statusCode()).isEqualTo(200);
        for (String path : new String[] {"/v1/models", "/engine/requests/req-with-secret", "/engine/status", "/metrics",
                "/engine/devices"}) {
            assertThat(call("GET", path, null, "Bearer " + SECRET).statusCode()).as(path).isEqualTo(200);

            HttpResponse<String> none = call("GET", path, null, null);
            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(none.body()).contains("\"code\":\"invalid_api_key\"").doesNotContain(SECRET);
            assertThat(call("GET", path, null, "Bearer " + SECRET + "x").statusCode()).as(path).isEqualTo(401);
            assertThat(call("GET", path, null, SECRET).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(call("POST", "/v1/chat/completions", CHAT, "req-without", null).statusCode()).isEqualTo(401);
        assertThat(call("POST", "/v1/chat/completions", CHAT, "req-wrong", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(call("GET", "/health;x/../v1/models", null, null).statusCode()).isIn(400, 401);
    }

    @Test
    void listensOnlyOnLoopbackByDefault() throws Exception {
        Optional<InetAddress> external = NetworkInterface.networkInterfaces()
                .filter(EngineAccessIT::up)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .findFirst();
        assumeThat(external).as("this machine has an address other than loopback").isPresent();

        try (Socket socket = new Socket()) {
            assertThatThrownBy(() -> socket.connect(new InetSocketAddress(external.get(), port), 2000))
                    .isInstanceOf(IOException.class);
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            assertThat(socket.isConnected()).isTrue();
        }
    }

    @Test
    void refusesToListenBeyondLoopbackWithoutASecretOrWithAWeakOne() {
        assertThatThrownBy(() -> start("--server.address=0.0.0.0"))
                .rootCause().hasMessageContaining("without a secret").hasMessageContaining("PLATFORM_ENGINE_SECRET");
        assertThatThrownBy(() -> start("--server.address=0.0.0.0", "--platform.engine.secret=short-secret"))
                .rootCause().hasMessageContaining("shorter than 16").hasMessageNotContaining("short-secret");
    }

    private static void start(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--platform.engine.runtime=simulated";
        all[1] = "--server.port=0";
        System.arraycopy(args, 0, all, 2, args.length);
        new SpringApplicationBuilder(EngineAdapterApplication.class).run(all).close();
    }

    private static boolean up(NetworkInterface network) {
        try {
            return network.isUp();
        } catch (SocketException e) {
            return false;
        }
    }

    private HttpResponse<String> call(String method, String path, String body, String authorization) throws Exception {
        return call(method, path, body, null, authorization);
    }

    private HttpResponse<String> call(String method, String path, String body, String requestId, String authorization)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
