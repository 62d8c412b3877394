package io.maas.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoModelTests {

    @TempDir
    Path dir;

    @Test
    void sameBytesEveryRun() {
        assertThat(DemoModel.bytes()).isEqualTo(DemoModel.bytes());
    }

    @Test
    @SuppressWarnings("unchecked")
    void headerAndMetadataReadBackWithTheTypesLlamaCppChecks() throws IOException {
        GgufFile file = GgufReader.read(DemoModel.ensure(dir));

        assertThat(file.version()).isEqualTo(3);
        assertThat(file.architecture()).isEqualTo("deepseek2");
        assertThat(file.contextLength()).isEqualTo(DemoModel.CONTEXT_LENGTH);
        assertThat(file.metadata()).containsEntry("general.alignment", 32L)
                .containsEntry("deepseek2.block_count", 3L)
                .containsEntry("deepseek2.leading_dense_block_count", 1L)
                .containsEntry("deepseek2.expert_count", 8L)
                .containsEntry("deepseek2.expert_used_count", 2L)
                .containsEntry("deepseek2.expert_shared_count", 1L)
                .containsEntry("deepseek2.expert_gating_func", 2L)
                .containsEntry("deepseek2.expert_weights_norm", true)
                .containsEntry("deepseek2.attention.key_length", 24L)
                .containsEntry("tokenizer.ggml.model", "llama")
                .containsEntry("tokenizer.ggml.bos_token_id", 1L)
                .containsKey("deepseek2.rope.scaling.yarn_log_multiplier")
                .containsKey("tokenizer.chat_template");
        assertThat(file.token(0)).isEqualTo("<unk>");
        assertThat(file.token(1)).isEqualTo("<s>");
        assertThat(file.token(2)).isEqualTo("</s>");
        assertThat((List<Object>) file.metadata().get("tokenizer.ggml.tokens"))
                .contains("<0x00>", "<0xFF>", "\u2581", "A", "~", "\u2581hello")
                .hasSize(((Long) file.metadata().get("deepseek2.vocab_size")).intValue());
    }

    @Test
    void denseFirstLayerThenRoutedAndSharedExpertsWithAlignedData() throws IOException {
        GgufFile file = GgufReader.read(DemoModel.ensure(dir));

        List<String> names = file.tensors().stream().map(GgufFile.TensorInfo::name).toList();
        assertThat(names).contains("token_embd.weight", "output_norm.weight", "output.weight",
                "blk.0.ffn_gate.weight", "blk.0.attn_kv_b.weight", "blk.0.attn_q_a.weight",
                "blk.1.ffn_gate_exps.weight", "blk.1.exp_probs_b.bias", "blk.2.ffn_down_shexp.weight");
        assertThat(names).doesNotContain("blk.0.ffn_gate_exps.weight", "blk.1.ffn_gate.weight", "blk.0.attn_q.weight");
        assertThat(file.tensors()).allSatisfy(t -> assertThat(t.offset() % 32).isZero());
        GgufFile.TensorInfo experts = file.tensors().stream()
                .filter(t -> t.name().equals("blk.1.ffn_down_exps.weight")).findFirst().orElseThrow();
        assertThat(experts.dims()).containsExactly(32L, 64L, 8L);
    }

    @Test
    void ensureRewritesADamagedFileAndKeepsAGoodOne() throws IOException {
        Path model = DemoModel.ensure(dir);
        Files.write(model, new byte[] {1, 2, 3});

        assertThat(Files.readAllBytes(DemoModel.ensure(dir))).isEqualTo(DemoModel.bytes());
        long modified = Files.getLastModifiedTime(model).toMillis();
        DemoModel.ensure(dir);
        assertThat(Files.getLastModifiedTime(model).toMillis()).isEqualTo(modified);
    }

    @Test
    void readerRejectsFilesThatAreNotGguf() throws IOException {
        Path text = Files.writeString(dir.resolve("model.gguf"), "not a model at all");

        assertThatThrownBy(() -> GgufReader.read(text)).isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("not a GGUF file");
    }
}
