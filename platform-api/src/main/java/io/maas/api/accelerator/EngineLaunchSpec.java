package io.maas.api.accelerator;

import java.util.List;
import java.util.Objects;

/**
 * What to serve and how, independent of vendor; {@link AcceleratorProvider#launchCommand} turns it
 * into a command line. Start from {@link #of} and change what differs with the {@code with…} methods.
 *
 * @param engine             an entry of {@link AcceleratorProvider#engines()}, or null for the provider's default
 * @param modelPath          weights directory (or GGUF file for llama.cpp)
 * @param servedModelName    the model name clients send
 * @param port               the port the engine listens on, on 127.0.0.1 (the engine adapter fronts it)
 * @param tensorParallelSize devices one copy of the attention layers is split over
 * @param dataParallelSize   copies of the attention layers
 * @param expertParallelSize devices the MoE experts are spread over; 1 = no expert parallelism
 * @param quantization       the precision of the weights; null = as the checkpoint says
 * @param maxModelLen        longest sequence (prompt + completion) in tokens; null = the model's own
 * @param deviceIndexes      the devices to use, by {@link Device#index()}; empty = all visible ones
 * @param configFile         the engine's own configuration file, for engines configured by file (MindIE); else null
 * @param extraArgs          further engine arguments, appended last so that they win
 */
public record EngineLaunchSpec(
        String engine,
        String modelPath,
        String servedModelName,
        int port,
        int tensorParallelSize,
        int dataParallelSize,
        int expertParallelSize,
        Precision quantization,
        Integer maxModelLen,
        List<Integer> deviceIndexes,
        String configFile,
        List<String> extraArgs) {

    public EngineLaunchSpec {
        if (modelPath == null || modelPath.isBlank()) {
            throw new IllegalArgumentException("modelPath must name the model's weights");
        }
        if (servedModelName == null || servedModelName.isBlank()) {
            throw new IllegalArgumentException("servedModelName must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, was " + port);
        }
        if (tensorParallelSize < 1 || dataParallelSize < 1 || expertParallelSize < 1) {
            throw new IllegalArgumentException("tensor, data and expert parallel sizes must be 1 or more, were "
                    + tensorParallelSize + ", " + dataParallelSize + ", " + expertParallelSize);
        }
        if (maxModelLen != null && maxModelLen < 1) {
            throw new IllegalArgumentException("maxModelLen must be 1 or more tokens, was " + maxModelLen);
        }
        deviceIndexes = List.copyOf(deviceIndexes);
        extraArgs = List.copyOf(extraArgs);
    }

    /** One device, the default engine, the checkpoint's precision and context. */
    public static EngineLaunchSpec of(String modelPath, String servedModelName, int port) {
        return new EngineLaunchSpec(null, modelPath, servedModelName, port, 1, 1, 1, null, null, List.of(), null, List.of());
    }

    public EngineLaunchSpec withEngine(String engine) {
        return new EngineLaunchSpec(engine, modelPath, servedModelName, port, tensorParallelSize, dataParallelSize,
                expertParallelSize, quantization, maxModelLen, deviceIndexes, configFile, extraArgs);
    }

    public EngineLaunchSpec withParallelism(int tensor, int data, int expert) {
        return new EngineLaunchSpec(engine, modelPath, servedModelName, port, tensor, data, expert,
                quantization, maxModelLen, deviceIndexes, configFile, extraArgs);
    }

    public EngineLaunchSpec withQuantization(Precision precision) {
        return new EngineLaunchSpec(engine, modelPath, servedModelName, port, tensorParallelSize, dataParallelSize,
                expertParallelSize, precision, maxModelLen, deviceIndexes, configFile, extraArgs);
    }

    public EngineLaunchSpec withMaxModelLen(Integer tokens) {
        return new EngineLaunchSpec(engine, modelPath, servedModelName, port, tensorParallelSize, dataParallelSize,
                expertParallelSize, quantization, tokens, deviceIndexes, configFile, extraArgs);
    }

    public EngineLaunchSpec withDevices(List<Integer> indexes) {
        return new EngineLaunchSpec(engine, modelPath, servedModelName, port, tensorParallelSize, dataParallelSize,
                expertParallelSize, quantization, maxModelLen, indexes, configFile, extraArgs);
    }

    public EngineLaunchSpec withConfigFile(String path) {
        return new EngineLaunchSpec(engine, modelPath, servedModelName, port, tensorParallelSize, dataParallelSize,
                expertParallelSize, quantization, maxModelLen, deviceIndexes, path, extraArgs);
    }

    public EngineLaunchSpec withExtraArgs(List<String> args) {
        return new EngineLaunchSpec(engine, modelPath, servedModelName, port, tensorParallelSize, dataParallelSize,
                expertParallelSize, quantization, maxModelLen, deviceIndexes, configFile, args);
    }

    /** Devices the parallel layout occupies: tensor × data parallel. */
    public int deviceCount() {
        return tensorParallelSize * dataParallelSize;
    }

    /** The engine to launch: the one asked for, or {@code provider}'s default. */
    public String engineOr(String defaultEngine) {
        return Objects.requireNonNullElse(engine, defaultEngine);
    }
}
