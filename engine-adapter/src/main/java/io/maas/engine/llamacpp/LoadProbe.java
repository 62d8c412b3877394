package io.maas.engine.llamacpp;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;

/**
 * Loads a model in a child JVM with llama.cpp's log on stderr, so that {@link LoadDiagnostics} can
 * read why a load failed (llama.cpp prints the cause there; the binding only says that it failed).
 * Exits 0 when the model loads, 1 when it does not.
 */
public final class LoadProbe {

    private LoadProbe() {
    }

    public static void main(String[] args) {
        int status = 1;
        try {
            new LlamaModel(new ModelParameters().setModel(args[0]).setCtxSize(256).setThreads(1)).close();
            status = 0;
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
        }
        Runtime.getRuntime().halt(status); // llama.cpp leaves a non-daemon thread behind
    }
}
