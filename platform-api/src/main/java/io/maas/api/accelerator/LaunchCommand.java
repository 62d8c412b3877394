package io.maas.api.accelerator;

import java.util.List;
import java.util.Map;

/**
 * A process to start: its argument vector (program first, no shell involved) and the variables to
 * add to its environment.
 */
public record LaunchCommand(List<String> argv, Map<String, String> environment) {

    public LaunchCommand {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a launch command needs at least the program");
        }
    }
}
