package io.maas.gateway.relay;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;

/** The head of an event-stream answer, the same for every API the gateway streams in. */
public final class EventStreams {

    private EventStreams() {
    }

    /**
     * Starts {@code response} as an uncached, unbuffered (also by nginx) event stream; nothing when it is
     * committed already (its head was sent while the request was queued).
     */
    public static void start(HttpServletResponse response) {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(200);
        response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
    }
}
