package io.maas.engine.external;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the engine process and keeps it running: starts it with its environment, polls its readiness
 * URL until it answers 200 (at most {@code start-timeout}, else the process is stopped), and when
 * the process ends, starts it again after the {@link Backoff}. Only {@link State#READY} serves requests.
 *
 * <p>Stopping (SIGTERM of the adapter, after the requests have drained and the web server stopped):
 * SIGTERM to the engine, {@code stop-timeout} for it to end, then SIGKILL to it and every process it
 * started. The process is started from one long-lived platform thread, the one its parent-death
 * signal is tied to (see {@link ChildCommand}).
 */
public final class ProcessSupervisor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProcessSupervisor.class);
    private static final long POLL_MILLIS = 250;

    /** Where the engine process is; only {@code READY} serves. */
    public enum State { STARTING, READY, BACKING_OFF, STOPPED }

    private final ChildCommand command;
    private final ExternalProperties properties;
    private final EngineOutput output;
    private final HttpClient http;
    private final URI readiness;
    private final Object lock = new Object();
    private volatile State state = State.STARTING;
    private volatile Process process;
    private volatile int restarts;
    private volatile String lastExit;
    private volatile boolean stopping;
    private Thread supervisor;

    ProcessSupervisor(ChildCommand command, ExternalProperties properties, EngineOutput output, HttpClient http) {
        this.command = command;
        this.properties = properties;
        this.output = output;
        this.http = http;
        this.readiness = URI.create("http://127.0.0.1:" + properties.port() + properties.readinessPath());
    }

    public State state() {
        return state;
    }

    /** The process id of the engine running now, or -1. */
    public long pid() {
        Process current = process;
        return current != null && current.isAlive() ? current.pid() : -1;
    }

    public int restarts() {
        return restarts;
    }

    /** How the last engine process ended (exit code, or why it could not start); null while none has ended. */
    public String lastExit() {
        return lastExit;
    }

    @Override
    public void start() {
        synchronized (lock) {
            if (supervisor == null) {
                supervisor = Thread.ofPlatform().name("engine-supervisor").daemon().start(this::supervise);
            }
        }
    }

    private void supervise() {
        Backoff backoff = new Backoff(properties.restart());
        while (!stopping) {
            Duration uptime = Duration.ZERO;
            state = State.STARTING;
            Process child = launch();
            if (child != null) {
                if (awaitReadiness(child)) {
                    Instant since = Instant.now();
                    state = State.READY;
                    log.info("The engine process (pid {}) is ready at {}", child.pid(), readiness);
                    awaitExit(child);
                    uptime = Duration.between(since, Instant.now());
                }
                if (stopping) {
                    break;
                }
                if (child.isAlive()) {
                    log.warn("The engine process (pid {}) was not ready within {}; stopping it",
                            child.pid(), properties.startTimeout());
                    terminate(child);
                }
                lastExit = "pid " + child.pid() + " ended with exit code " + child.exitValue();
                log.warn("The engine process {}", lastExit);
            }
            if (stopping) {
                break;
            }
            state = State.BACKING_OFF;
            Duration delay = backoff.next(uptime);
            restarts++;
            log.warn("Restarting the engine process in {} ms (restart {})", delay.toMillis(), restarts);
            pause(delay.toMillis());
        }
        state = State.STOPPED;
    }

    private Process launch() {
        synchronized (lock) {
            if (stopping) {
                return null;
            }
            ProcessBuilder builder = new ProcessBuilder(command.argv());
            builder.environment().putAll(command.environment());
            try {
                process = builder.start();
            } catch (IOException e) {
                lastExit = "could not start " + command.argv() + ": " + e.getMessage();
                log.error("The engine process {}", lastExit);
                return null;
            }
            log.info("Started the engine process (pid {}): {}", process.pid(), command.argv());
            output.capture(process);
            return process;
        }
    }

    /** Polls the readiness URL until it answers 200; false when the process ended, the adapter stops, or time is up. */
    private boolean awaitReadiness(Process child) {
        long deadline = System.nanoTime() + properties.startTimeout().toNanos();
        while (!stopping && child.isAlive() && System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2))
                        .GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return child.isAlive();
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pause(POLL_MILLIS);
        }
        return false;
    }

    private void awaitExit(Process child) {
        try {
            child.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits, waking early when the adapter stops. */
    private void pause(long millis) {
        synchronized (lock) {
            long deadline = System.currentTimeMillis() + millis;
            long left;
            while (!stopping && (left = deadline - System.currentTimeMillis()) > 0) {
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** SIGTERM, {@code stop-timeout} to end, then SIGKILL to the process and all it started. */
    private void terminate(Process child) {
        if (!child.isAlive()) {
            return;
        }
        child.destroy();
        try {
            if (child.waitFor(properties.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.warn("The engine process (pid {}) did not end within {} of SIGTERM; killing it", child.pid(),
                properties.stopTimeout());
        child.descendants().forEach(ProcessHandle::destroyForcibly);
        child.destroyForcibly();
        try {
            child.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        Thread running;
        Process current;
        synchronized (lock) {
            if (stopping) {
                return;
            }
            stopping = true;
            lock.notifyAll();
            running = supervisor;
            current = process;
        }
        if (current != null && current.isAlive()) {
            log.info("Stopping the engine process (pid {})", current.pid());
            terminate(current);
        }
        if (running != null) {
            try {
                running.join(properties.stopTimeout().plusSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        state = State.STOPPED;
    }

    @Override
    public boolean isRunning() {
        return supervisor != null && !stopping;
    }

    /** Stopped after the web server (DEFAULT_PHASE - 2048), so requests have drained, and before the engine (DEFAULT_PHASE - 4096). */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 3072;
    }
}
