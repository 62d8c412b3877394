package io.maas.engine.status;

import io.maas.api.engine.EngineStatus;
import io.maas.engine.runtime.EngineLoad;
import io.maas.engine.runtime.ManagedEngine;
import io.maas.engine.runtime.RequestGate;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the engine's own view of its load ({@link io.maas.engine.runtime.Engine#load()}) together with
 * the adapter's counts: what the engine reports wins, the adapter's count fills what it does not
 * (prefix-cache queries and hits are then the prompt tokens and cached prompt tokens of the requests
 * the adapter sent). Latencies are always the adapter's own, measured where the gateway sees them.
 */
public final class EngineStatusReport {

    private static final Logger log = LoggerFactory.getLogger(EngineStatusReport.class);

    private final ManagedEngine engines;
    private final RequestGate gate;
    private final EngineStats stats;
    private final String runtime;

    /** Everything {@code /engine/status} and {@code /metrics} show, read once. */
    record Snapshot(EngineStatus status, long promptTokens, long generationTokens,
            LatencyHistogram.Snapshot timeToFirstToken, LatencyHistogram.Snapshot timePerOutputToken) {
    }

    public EngineStatusReport(ManagedEngine engines, RequestGate gate, EngineStats stats, String runtime) {
        this.engines = engines;
        this.gate = gate;
        this.stats = stats;
        this.runtime = runtime;
    }

    Snapshot snapshot() {
        ManagedEngine.State state = engines.state();
        String model = null;
        EngineLoad load = EngineLoad.UNKNOWN;
        if (state == ManagedEngine.State.READY) {
            try {
                var engine = engines.ready();
                model = engine.model().name();
                load = engine.load();
            } catch (RuntimeException e) { // stopped meanwhile, or the engine could not tell: the adapter's counts
                log.debug("The engine's own load is unknown: {}", e.getMessage());
            }
        }
        LatencyHistogram.Snapshot ttft = stats.timeToFirstToken();
        LatencyHistogram.Snapshot tpot = stats.timePerOutputToken();
        EngineStatus status = new EngineStatus(model, runtime,
                gate.draining() ? "draining" : state.name().toLowerCase(Locale.ROOT),
                Objects.requireNonNullElse(load.running(), stats.running()),
                Objects.requireNonNullElse(load.waiting(), stats.waiting()),
                Objects.requireNonNullElse(load.kvCacheUsage(), 0.0),
                Objects.requireNonNullElse(load.kvCacheTokens(), 0L),
                Objects.requireNonNullElse(load.prefixCacheQueries(), stats.promptTokens()),
                Objects.requireNonNullElse(load.prefixCacheHits(), stats.cachedPromptTokens()),
                ttft.latency(), tpot.latency());
        return new Snapshot(status, stats.promptTokens(), stats.generationTokens(), ttft, tpot);
    }

    public EngineStatus status() {
        return snapshot().status();
    }
}
