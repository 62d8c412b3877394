package io.maas.tenant.deployment;

import java.util.List;
import java.util.UUID;

/** The engine-adapter processes of a deployment on this machine, found by the marker the local provisioner puts on their command line. */
final class Replicas {

    private Replicas() {
    }

    static List<ProcessHandle> of(UUID deployment) {
        String marker = "-Dmaas.deployment=" + deployment;
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains(marker)).orElse(false))
                .toList();
    }
}
