package io.maas.tenant.deployment.local;

import io.maas.accelerators.DeviceInventory;
import io.maas.accelerators.ParentDeathSignal;
import io.maas.accelerators.fit.AcceleratorSpec;
import io.maas.api.accelerator.Device;
import io.maas.tenant.catalog.EngineRuntime;
import io.maas.tenant.deployment.provision.AcceleratorOffer;
import io.maas.tenant.deployment.provision.DeploymentSpec;
import io.maas.tenant.deployment.provision.Provisioner;
import io.maas.tenant.deployment.provision.ReplicaObservation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The {@code local} target: each replica is an engine-adapter process on this machine, on a free
 * loopback port, serving the deployment's runtime: llama.cpp in-process (the demo model, or the catalog
 * entry's GGUF file), the simulated engine, or an external engine (vLLM, vllm-ascend, MindIE,
 * vLLM-Kunlun) that the adapter launches with the accelerator provider's command.
 *
 * <p>Files, under {@code state-dir/<name>-<id prefix>/}: {@code replica-<ordinal>.log} (the adapter's
 * output, appended over restarts) and, when replicas outlive tenant-service, {@code replica-<ordinal>.properties}
 * (pid, start time, port), from which a restarted tenant-service adopts the replica instead of starting
 * a second one. Handles are {@code local-<name>-<ordinal>-<incarnation>}.
 */
@Component
@ConditionalOnProperty(name = "platform.deployments.local.enabled", havingValue = "true", matchIfMissing = true)
class LocalProvisioner implements Provisioner, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(LocalProvisioner.class);

    private final LocalProperties properties;
    private final Path stateDir;
    private final Supplier<List<AcceleratorOffer>> inventory;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /** Per deployment, its slots by ordinal. */
    private final Map<UUID, Map<Integer, LocalReplica>> replicas = new ConcurrentHashMap<>();
    private volatile List<AcceleratorOffer> offers;

    @Autowired
    LocalProvisioner(LocalProperties properties) {
        this(properties, () -> offers(DeviceInventory.onThisNode().discover().devices()));
    }

    LocalProvisioner(LocalProperties properties, Supplier<List<AcceleratorOffer>> inventory) {
        this.properties = properties;
        this.stateDir = Path.of(properties.stateDir().isBlank() ? System.getProperty("java.io.tmpdir") + "/maas-deployments"
                : properties.stateDir()).toAbsolutePath();
        this.inventory = inventory;
    }

    @Override
    public String target() {
        return "local";
    }

    /** The devices the accelerator providers find on this machine (read once): each known accelerator model, and the CPU. */
    @Override
    public List<AcceleratorOffer> inventory() {
        if (offers == null) {
            offers = List.copyOf(inventory.get());
        }
        return offers;
    }

    static List<AcceleratorOffer> offers(List<Device> devices) {
        Map<String, List<Device>> byName = new TreeMap<>();
        devices.forEach(device -> byName.computeIfAbsent(device.vendor() + "\u0000" + device.name(), k -> new ArrayList<>()).add(device));
        List<AcceleratorOffer> offers = new ArrayList<>();
        byName.values().forEach(group -> {
            Device first = group.getFirst();
            if (first.vendor().equals("cpu")) {
                offers.add(new AcceleratorOffer("cpu", AcceleratorSpec.CPU, 1, 1, "this machine (" + first.name() + ")"));
            } else {
                AcceleratorSpec.byDeviceName(first.name()).ifPresent(spec -> offers.add(new AcceleratorOffer(first.vendor(), spec.id(),
                        group.size(), 1, first.vendor() + " tool")));
            }
        });
        offers.sort(Comparator.comparing((AcceleratorOffer o) -> o.vendor().equals("cpu")).thenComparing(AcceleratorOffer::type));
        return offers;
    }

    /** Starts the missing or exited slots 0..replicas-1 (adopting live ones a previous tenant-service left), stops the others. */
    @Override
    public synchronized void apply(DeploymentSpec spec) {
        Map<Integer, LocalReplica> slots = replicas.computeIfAbsent(spec.id(), id -> new ConcurrentHashMap<>());
        Path dir = directory(spec);
        for (var entry : new ArrayList<>(slots.entrySet())) {
            if (entry.getKey() >= spec.replicas()) {
                slots.remove(entry.getKey());
                entry.getValue().stop(properties.stopTimeout(), false);
                log.info("Stopping replica {} of deployment {}", entry.getKey(), spec.name());
            }
        }
        for (int ordinal = 0; ordinal < spec.replicas(); ordinal++) {
            LocalReplica slot = slots.get(ordinal);
            if (slot == null) {
                slot = LocalReplica.adopt(ordinal, dir).orElse(null);
                if (slot != null) {
                    log.info("Adopted replica {} of deployment {} (pid {})", ordinal, spec.name(), slot.process().orElseThrow().pid());
                    slots.put(ordinal, slot);
                    continue;
                }
                slot = LocalReplica.fresh("local-" + spec.name() + "-" + ordinal + "-" + HexFormat.of().toHexDigits(
                        ThreadLocalRandom.current().nextInt(), 6), ordinal, dir);
                slots.put(ordinal, slot);
            } else if (!slot.exited()) {
                continue;
            }
            int port = freePort();
            Map<String, String> environment = new HashMap<>();
            properties.engineSecret().exportTo(environment, "PLATFORM_ENGINE_SECRET");
            slot.start(command(spec, port), environment, port, properties.keepRunningOnShutdown());
            log.info("Started replica {} of deployment {} on port {} (log {})", ordinal, spec.name(), port, dir.resolve("replica-" + ordinal + ".log"));
        }
    }

    @Override
    public List<ReplicaObservation> observe(DeploymentSpec spec) {
        Map<Integer, LocalReplica> slots = replicas.getOrDefault(spec.id(), Map.of());
        return new TreeMap<>(slots).values().stream().map(slot -> slot.observe(http, properties.healthTimeout())).toList();
    }

    /** Stops every replica of the deployment and waits for them to exit. */
    @Override
    public synchronized void delete(DeploymentSpec spec) {
        Map<Integer, LocalReplica> slots = replicas.remove(spec.id());
        if (slots != null) {
            stopAll(slots.values());
        }
    }

    @Override
    public boolean replicasOutliveService() {
        return properties.keepRunningOnShutdown();
    }

    /** On a graceful stop of tenant-service, its replicas stop too (drained), unless they are to outlive it. */
    @Override
    public void destroy() {
        if (properties.keepRunningOnShutdown()) {
            return;
        }
        List<LocalReplica> all = replicas.values().stream().flatMap(slots -> slots.values().stream()).toList();
        replicas.clear();
        stopAll(all);
    }

    private void stopAll(Iterable<LocalReplica> slots) {
        List<Thread> stopping = new ArrayList<>();
        for (LocalReplica slot : slots) {
            stopping.add(Thread.ofVirtual().start(() -> slot.stop(properties.stopTimeout(), true)));
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** engine-adapter's command line for one replica of {@code spec} on {@code port}. */
    List<String> command(DeploymentSpec spec, int port) {
        List<String> argv = new ArrayList<>();
        if (properties.keepRunningOnShutdown()) {
            argv.add("setsid");
        } else {
            argv.addAll(ParentDeathSignal.prefix());
        }
        argv.add(properties.java().isBlank() ? ProcessHandle.current().info().command().orElse("java") : properties.java());
        argv.addAll(properties.jvmOptions());
        argv.addAll(List.of("-Dmaas.deployment=" + spec.id(), "--enable-native-access=ALL-UNNAMED", "-jar",
                Path.of(properties.engineJar()).toAbsolutePath().toString()));
        Map<String, String> args = new LinkedHashMap<>();
        args.put("server.port", Integer.toString(port));
        args.put("server.address", "127.0.0.1");
        args.put("platform.engine.served-model-name", spec.servedModelName());
        EngineRuntime runtime = EngineRuntime.parse(spec.runtime()).orElseThrow();
        switch (runtime) {
            case LLAMACPP -> {
                args.put("platform.engine.runtime", "llamacpp");
                args.put("platform.engine.cache-dir", cacheDir().toString());
                if (spec.weights() != null) {
                    args.put("platform.engine.model-path", spec.weights());
                }
            }
            case SIMULATED -> args.put("platform.engine.runtime", "simulated");
            default -> {
                args.put("platform.engine.runtime", "external");
                args.put("platform.engine.external.port", Integer.toString(freePort()));
                args.put("platform.engine.external.launch.vendor", spec.vendor());
                args.put("platform.engine.external.launch.engine", runtime.providerEngine().orElseThrow());
                args.put("platform.engine.external.launch.model-path", spec.weights() == null ? "" : spec.weights());
                args.put("platform.engine.external.launch.tensor-parallel-size", Integer.toString(spec.tensorParallelSize()));
                args.put("platform.engine.external.launch.quantization", spec.precision());
                args.put("platform.engine.external.launch.max-model-len", Integer.toString(spec.contextLength()));
            }
        }
        args.forEach((key, value) -> argv.add("--" + key + "=" + value));
        return argv;
    }

    private Path directory(DeploymentSpec spec) {
        Path dir = stateDir.resolve(spec.name() + "-" + spec.id().toString().substring(0, 8));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the replicas' directory " + dir, e);
        }
        return dir;
    }

    private Path cacheDir() {
        return properties.cacheDir().isBlank() ? stateDir.resolve("models") : Path.of(properties.cacheDir()).toAbsolutePath();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
