package io.maas.engine.external;

import io.maas.accelerators.ParentDeathSignal;
import io.maas.api.accelerator.AcceleratorProviders;
import io.maas.api.accelerator.EngineLaunchSpec;
import io.maas.api.accelerator.LaunchCommand;
import io.maas.api.accelerator.Precision;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine process to start: the configured argv as it is, or the accelerator provider's
 * {@link io.maas.api.accelerator.AcceleratorProvider#launchCommand} for the configured deployment;
 * the provider's environment (visible devices, HCCL settings) under the configured one.
 *
 * <p>Orphans: with {@code parent-death-signal} on, the engine is started under {@link ParentDeathSignal}:
 * the kernel sends it SIGKILL when the adapter's supervising thread ends, also when the adapter is
 * killed with SIGKILL. Without setpriv the engine outlives a killed adapter (in Kubernetes the pod's
 * container ends it anyway).
 */
record ChildCommand(List<String> argv, Map<String, String> environment) {

    ChildCommand {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
    }

    /**
     * @throws IllegalArgumentException when neither a command nor a launch deployment is configured, or
     *         the provider refuses the deployment; the message says what to set
     */
    static ChildCommand of(ExternalProperties properties, String servedModelName, AcceleratorProviders providers) {
        LaunchCommand launch;
        if (!properties.command().isEmpty()) {
            launch = new LaunchCommand(properties.command(), Map.of());
        } else {
            launch = launchCommand(properties, servedModelName, providers);
        }
        Map<String, String> environment = new HashMap<>(launch.environment());
        environment.putAll(properties.environment());
        List<String> argv = new ArrayList<>();
        if (properties.parentDeathSignal()) {
            argv.addAll(ParentDeathSignal.prefix());
        }
        argv.addAll(launch.argv());
        return new ChildCommand(argv, environment);
    }

    private static LaunchCommand launchCommand(ExternalProperties properties, String servedModelName,
            AcceleratorProviders providers) {
        ExternalProperties.Launch launch = properties.launch();
        if (launch.vendor().isBlank() || launch.modelPath().isBlank() || servedModelName.isBlank()) {
            throw new IllegalArgumentException("platform.engine.runtime=external needs the engine's command: set "
                    + "platform.engine.external.command (argv, program first), or platform.engine.external.launch.vendor "
                    + "(nvidia, ascend, kunlun, cpu), platform.engine.external.launch.model-path and "
                    + "platform.engine.served-model-name to have it built");
        }
        EngineLaunchSpec spec = EngineLaunchSpec.of(launch.modelPath(), servedModelName, properties.port())
                .withEngine(launch.engine().isBlank() ? null : launch.engine())
                .withParallelism(launch.tensorParallelSize(), launch.dataParallelSize(), launch.expertParallelSize())
                .withQuantization(launch.quantization().isBlank() ? null : Precision.parse(launch.quantization()))
                .withMaxModelLen(launch.maxModelLen() == 0 ? null : launch.maxModelLen())
                .withDevices(launch.devices())
                .withConfigFile(launch.configFile().isBlank() ? null : launch.configFile())
                .withExtraArgs(launch.extraArgs());
        return providers.require(launch.vendor()).launchCommand(spec);
    }
}
