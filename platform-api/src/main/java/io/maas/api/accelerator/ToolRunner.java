package io.maas.api.accelerator;

import java.util.List;
import java.util.Optional;

/**
 * Runs a vendor tool on behalf of a provider; tests pass one that answers with recorded output.
 */
@FunctionalInterface
public interface ToolRunner {

    /**
     * Runs {@code tool} (a bare name looked up on {@code PATH}) with {@code arguments} and waits for it.
     *
     * @return the finished run, or empty when the tool is not installed
     * @throws DiscoveryException when the tool is installed but cannot be started or does not finish in time
     */
    Optional<ToolOutput> run(String tool, List<String> arguments);
}
