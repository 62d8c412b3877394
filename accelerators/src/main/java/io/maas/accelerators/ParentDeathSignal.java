package io.maas.accelerators;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Ties a child process's life to the thread that starts it: with {@code setpriv} installed (util-linux,
 * present in the usual vLLM / vllm-ascend base images and on Debian), a child started as
 * {@code setpriv --pdeathsig KILL -- argv…} gets SIGKILL from the kernel when the starting thread ends,
 * also when the whole JVM is killed with SIGKILL. setpriv executes the program in the same process, so
 * the pid is the program's. Without setpriv the prefix is empty and the child can outlive a killed parent.
 *
 * <p>Rule for callers: start the child from a platform thread that lives exactly as long as the child
 * should (it waits for the child); a pooled or virtual thread's carrier may end earlier and take the
 * child with it.
 */
public final class ParentDeathSignal {

    static final List<String> SETPRIV_PATHS = List.of("/usr/bin/setpriv", "/bin/setpriv");

    private ParentDeathSignal() {
    }

    /** {@code setpriv --pdeathsig KILL --} to put before a child's argv; empty when setpriv is not installed. */
    public static List<String> prefix() {
        return SETPRIV_PATHS.stream().filter(path -> Files.isExecutable(Path.of(path))).findFirst()
                .map(setpriv -> List.of(setpriv, "--pdeathsig", "KILL", "--"))
                .orElse(List.of());
    }
}
