package io.maas.bench.adapter;

import io.maas.bench.JarProcess;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The engine adapter's runnable jar, with the simulated engine or llama.cpp, on a free loopback port, its log in a file. */
public final class AdapterProcess implements AutoCloseable {

    private final JarProcess process;

    /** With the simulated engine; {@code simulatedSettings} are {@code platform.engine.simulated.*} without the prefix. */
    public AdapterProcess(Path jar, Path log, String model, List<String> simulatedSettings) throws Exception {
        List<String> args = new ArrayList<>(List.of("--platform.engine.runtime=simulated", "--platform.engine.served-model-name=" + model));
        simulatedSettings.forEach(setting -> args.add("--platform.engine.simulated." + setting));
        this.process = new JarProcess(jar, log, args);
    }

    private AdapterProcess(JarProcess process) {
        this.process = process;
    }

    /**
     * With llama.cpp in-process and the demo model (generated into {@code cacheDir} by the first adapter that
     * starts; start them one after the other); {@code settings} are {@code platform.engine.*} without the prefix.
     */
    public static AdapterProcess llamaCpp(Path jar, Path log, String model, Path cacheDir, List<String> settings) throws Exception {
        List<String> args = new ArrayList<>(List.of("--platform.engine.runtime=llamacpp", "--platform.engine.served-model-name=" + model,
                "--platform.engine.cache-dir=" + cacheDir));
        settings.forEach(setting -> args.add("--platform.engine." + setting));
        return new AdapterProcess(new JarProcess(List.of("--enable-native-access=ALL-UNNAMED"), jar, log, args));
    }

    public URI base() {
        return process.base();
    }

    @Override
    public void close() {
        process.close();
    }
}
