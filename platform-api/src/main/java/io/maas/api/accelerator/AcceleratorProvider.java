package io.maas.api.accelerator;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the platform needs to know about one accelerator vendor.
 *
 * <h2>Lifecycle</h2>
 * <ul>
 *   <li>Providers are found with {@link java.util.ServiceLoader}: a public class with a public
 *       no-argument constructor, listed in {@code META-INF/services/io.maas.api.accelerator.AcceleratorProvider}.
 *       One instance is created per process and used until the process ends.</li>
 *   <li>Construction is cheap and touches no hardware: it runs no tool, reads no file and starts no
 *       thread, so that loading all providers on a machine without accelerators costs nothing.</li>
 *   <li>Instances are stateless and thread-safe; every method may be called any number of times,
 *       from any thread, concurrently.</li>
 *   <li>{@link #discover} is the only method that looks at the machine, and it does so only through
 *       the {@link ToolRunner} it is given. All other methods are pure functions of their arguments.</li>
 * </ul>
 *
 * <p>Optional capabilities are default methods; a provider overrides those it has.
 */
public interface AcceleratorProvider {

    /** Stable lower-case vendor id ({@code nvidia}, {@code ascend}, {@code kunlun}, {@code cpu}), also {@link Device#vendor()}. */
    String id();

    /**
     * The devices of this vendor on this machine, ordered by index.
     *
     * <p>Rules: when the vendor's tool is not installed ({@link ToolRunner#run} answers empty) the
     * answer is an empty list, not an error. When the tool fails, or prints anything the provider
     * cannot read with certainty, the provider throws {@link DiscoveryException}; it never returns a
     * partial list or a guessed device. Indexes are those the {@link #visibleDevicesVariable()} takes.
     *
     * @throws DiscoveryException when the tool fails or its output cannot be read
     */
    List<Device> discover(ToolRunner tools);

    /**
     * The environment variable that restricts an engine process to some devices, by index
     * ({@code CUDA_VISIBLE_DEVICES}); empty when the vendor has none.
     */
    default Optional<String> visibleDevicesVariable() {
        return Optional.empty();
    }

    /** How a pod asks Kubernetes for devices of this kind; {@code deviceName} is a {@link Device#name()}. */
    KubernetesPlacement kubernetesPlacement(String deviceName);

    /** The precisions an engine can run on this chip; {@code deviceName} is a {@link Device#name()}. */
    Set<Precision> precisions(String deviceName);

    /** The engines this provider can launch, the default first. */
    List<String> engines();

    /**
     * The command that starts {@code spec}'s engine as an OpenAI-compatible server on
     * {@code 127.0.0.1:port}, with the environment it needs.
     *
     * @throws IllegalArgumentException when the spec asks for something this vendor or engine cannot
     *         do (an unknown engine, a precision the chip lacks, parallel sizes the engine cannot combine);
     *         the message says what to change
     */
    LaunchCommand launchCommand(EngineLaunchSpec spec);
}
