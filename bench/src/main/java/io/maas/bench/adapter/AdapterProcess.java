package io.maas.bench.adapter;

import io.maas.bench.JarProcess;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The engine adapter's runnable jar with the simulated engine, on a free loopback port, its log in a file. */
public final class AdapterProcess implements AutoCloseable {

    private final JarProcess process;

    public AdapterProcess(Path jar, Path log, String model, List<String> simulatedSettings) throws Exception {
        List<String> args = new ArrayList<>(List.of("--platform.engine.runtime=simulated", "--platform.engine.served-model-name=" + model));
        simulatedSettings.forEach(setting -> args.add("--platform.engine.simulated." + setting));
        this.process = new JarProcess(jar, log, args);
    }

    public URI base() {
        return process.base();
    }

    @Override
    public void close() {
        process.close();
    }
}
