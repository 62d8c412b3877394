package io.maas.engine.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadDiagnosticsTests {

    @Test
    void keepsTheLinesThatNameACause() {
        String log = """
                llama_model_loader: loaded meta data with 38 key-value pairs
                llama_model_load: error loading model: missing tensor 'blk.0.attn_q_a.weight'
                llama_model_load_from_file_impl: failed to load model
                llama_model_load_from_file_impl: failed to load model
                common_init_from_params: ok
                """;

        assertThat(LoadDiagnostics.causes(log)).containsExactly(
                "llama_model_load: error loading model: missing tensor 'blk.0.attn_q_a.weight'",
                "llama_model_load_from_file_impl: failed to load model");
    }
}
