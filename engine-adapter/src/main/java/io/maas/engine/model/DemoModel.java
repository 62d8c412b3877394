package io.maas.engine.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A tiny DeepSeek-V3-shaped MoE model (architecture {@code deepseek2}) with random weights from a
 * fixed seed, so that the platform runs end to end without downloading anything: multi-head latent
 * attention, one dense leading layer, then layers of routed experts (top-k, sigmoid gating with the
 * {@code exp_probs_b} bias, normalized weights) plus a shared expert. The same bytes every run.
 */
public final class DemoModel {

    /** The name the engine serves this model under. */
    public static final String NAME = "demo-moe";
    /** The file name in the cache directory; the version changes whenever the bytes do. */
    public static final String FILE_NAME = "demo-moe-v2.gguf";
    public static final int CONTEXT_LENGTH = 4096;

    private static final String ARCH = "deepseek2";
    private static final long SEED = 20250101L;
    private static final int HIDDEN = 64;
    private static final int LAYERS = 3; // never 27: llama.cpp then takes the file for V2-Lite
    private static final int DENSE_LAYERS = 1;
    private static final int HEADS = 4;
    private static final int Q_LORA = 32;
    private static final int KV_LORA = 32;
    private static final int QK_NOPE = 16;
    private static final int QK_ROPE = 8;
    private static final int V_HEAD = 16;
    private static final int DENSE_FFN = 128;
    private static final int EXPERTS = 8;
    private static final int EXPERTS_USED = 2;
    private static final int SHARED_EXPERTS = 1;
    private static final int EXPERT_FFN = 32;
    /** ChatML, which llama.cpp's built-in template detection knows; the model has the markers as control tokens. */
    static final String CHAT_TEMPLATE = "{% for message in messages %}"
            + "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
            + "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private DemoModel() {
    }

    /** The ids of the demo vocabulary's byte tokens, to ban when a test compares texts exactly. */
    public static List<Integer> byteTokenIds() {
        return new DemoVocabulary().byteTokenIds();
    }

    /** The complete GGUF file. */
    public static byte[] bytes() {
        DemoVocabulary vocab = new DemoVocabulary();
        GgufWriter gguf = new GgufWriter()
                .string("general.architecture", ARCH)
                .string("general.name", NAME)
                .u32("general.file_type", 0)
                .u32(ARCH + ".vocab_size", vocab.size())
                .u32(ARCH + ".context_length", CONTEXT_LENGTH)
                .u32(ARCH + ".embedding_length", HIDDEN)
                .u32(ARCH + ".block_count", LAYERS)
                .u32(ARCH + ".feed_forward_length", DENSE_FFN)
                .u32(ARCH + ".attention.head_count", HEADS)
                .u32(ARCH + ".attention.head_count_kv", HEADS)
                .u32(ARCH + ".attention.key_length", QK_NOPE + QK_ROPE)
                .u32(ARCH + ".attention.value_length", V_HEAD)
                .f32(ARCH + ".attention.layer_norm_rms_epsilon", 1e-6f)
                .u32(ARCH + ".attention.q_lora_rank", Q_LORA)
                .u32(ARCH + ".attention.kv_lora_rank", KV_LORA)
                .u32(ARCH + ".rope.dimension_count", QK_ROPE)
                .f32(ARCH + ".rope.freq_base", 10000f)
                .f32(ARCH + ".rope.scaling.yarn_log_multiplier", 0.1f)
                .u32(ARCH + ".leading_dense_block_count", DENSE_LAYERS)
                .u32(ARCH + ".expert_count", EXPERTS)
                .u32(ARCH + ".expert_used_count", EXPERTS_USED)
                .u32(ARCH + ".expert_shared_count", SHARED_EXPERTS)
                .u32(ARCH + ".expert_feed_forward_length", EXPERT_FFN)
                .f32(ARCH + ".expert_weights_scale", 2.5f)
                .bool(ARCH + ".expert_weights_norm", true)
                .u32(ARCH + ".expert_gating_func", 2)
                .string("tokenizer.ggml.model", "llama")
                .strings("tokenizer.ggml.tokens", vocab.tokens())
                .floats("tokenizer.ggml.scores", vocab.scores())
                .ints("tokenizer.ggml.token_type", vocab.types())
                .u32("tokenizer.ggml.bos_token_id", DemoVocabulary.BOS)
                .u32("tokenizer.ggml.eos_token_id", DemoVocabulary.EOS)
                .u32("tokenizer.ggml.unknown_token_id", DemoVocabulary.UNKNOWN)
                .u32("tokenizer.ggml.fim_pre_token_id", vocab.id(DemoVocabulary.FIM.get(0)))
                .u32("tokenizer.ggml.fim_suf_token_id", vocab.id(DemoVocabulary.FIM.get(1)))
                .u32("tokenizer.ggml.fim_mid_token_id", vocab.id(DemoVocabulary.FIM.get(2)))
                .bool("tokenizer.ggml.add_bos_token", true)
                .bool("tokenizer.ggml.add_eos_token", false)
                .string("tokenizer.chat_template", CHAT_TEMPLATE);
        addTensors(gguf, vocab.size());
        return gguf.toBytes();
    }

    /**
     * The demo model's file in {@code directory}, written there first when it is missing or differs
     * from {@link #bytes()} (written to a temporary file and moved, so readers never see half a file).
     */
    public static Path ensure(Path directory) {
        Path target = directory.resolve(FILE_NAME);
        byte[] bytes = bytes();
        try {
            if (Files.isRegularFile(target) && Files.size(target) == bytes.length
                    && Arrays.equals(Files.readAllBytes(target), bytes)) {
                return target;
            }
            Files.createDirectories(directory);
            Path temp = Files.createTempFile(directory, FILE_NAME, ".tmp");
            Files.write(temp, bytes);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo model to " + target, e);
        }
    }

    /**
     * The weights, drawn in tensor order from one {@link Random}; the rows of the tokens appended to the vocabulary last
     * come from a second one, so that every other weight is what it was before they were added.
     */
    private static void addTensors(GgufWriter gguf, int vocab) {
        Random random = new Random(SEED);
        Weights w = new Weights(gguf, random);
        Random added = new Random(SEED + 1);
        w.tokenRows("token_embd.weight", vocab, 1.0f, added);
        w.ones("output_norm.weight", HIDDEN);
        w.tokenRows("output.weight", vocab, 4.0f, added);
        for (int layer = 0; layer < LAYERS; layer++) {
            String blk = "blk." + layer + ".";
            w.ones(blk + "attn_norm.weight", HIDDEN);
            w.ones(blk + "attn_q_a_norm.weight", Q_LORA);
            w.ones(blk + "attn_kv_a_norm.weight", KV_LORA);
            w.matrix(blk + "attn_q_a.weight", HIDDEN, Q_LORA, 1);
            w.matrix(blk + "attn_q_b.weight", Q_LORA, HEADS * (QK_NOPE + QK_ROPE), 1);
            w.matrix(blk + "attn_kv_a_mqa.weight", HIDDEN, KV_LORA + QK_ROPE, 1);
            w.matrix(blk + "attn_kv_b.weight", KV_LORA, HEADS * (QK_NOPE + V_HEAD), 1);
            w.matrix(blk + "attn_output.weight", HEADS * V_HEAD, HIDDEN, 1);
            w.ones(blk + "ffn_norm.weight", HIDDEN);
            if (layer < DENSE_LAYERS) {
                w.matrix(blk + "ffn_gate.weight", HIDDEN, DENSE_FFN, 1);
                w.matrix(blk + "ffn_up.weight", HIDDEN, DENSE_FFN, 1);
                w.matrix(blk + "ffn_down.weight", DENSE_FFN, HIDDEN, 1);
            } else {
                w.matrix(blk + "ffn_gate_inp.weight", HIDDEN, EXPERTS, 1);
                w.vector(blk + "exp_probs_b.bias", EXPERTS, 0.1f);
                w.experts(blk + "ffn_gate_exps.weight", HIDDEN, EXPERT_FFN);
                w.experts(blk + "ffn_up_exps.weight", HIDDEN, EXPERT_FFN);
                w.experts(blk + "ffn_down_exps.weight", EXPERT_FFN, HIDDEN);
                w.matrix(blk + "ffn_gate_shexp.weight", HIDDEN, EXPERT_FFN * SHARED_EXPERTS, 1);
                w.matrix(blk + "ffn_up_shexp.weight", HIDDEN, EXPERT_FFN * SHARED_EXPERTS, 1);
                w.matrix(blk + "ffn_down_shexp.weight", EXPERT_FFN * SHARED_EXPERTS, HIDDEN, 1);
            }
        }
    }

    /** Uniform random weights scaled by the fan-in, drawn from one {@link Random} in tensor order. */
    private record Weights(GgufWriter gguf, Random random) {

        void matrix(String name, int in, int out, float gain) {
            gguf.tensor(name, new long[] {in, out}, uniform(in * out, gain * (float) Math.sqrt(3.0 / in)));
        }

        /** An [{@value #HIDDEN}, vocab] matrix whose last {@link DemoVocabulary#ADDED} rows are drawn from {@code added}. */
        void tokenRows(String name, int vocab, float gain, Random added) {
            int kept = HIDDEN * (vocab - DemoVocabulary.ADDED);
            float limit = gain * (float) Math.sqrt(3.0 / HIDDEN);
            float[] values = Arrays.copyOf(uniform(kept, limit), HIDDEN * vocab);
            for (int i = kept; i < values.length; i++) {
                values[i] = (added.nextFloat() * 2 - 1) * limit;
            }
            gguf.tensor(name, new long[] {HIDDEN, vocab}, values);
        }

        void experts(String name, int in, int out) {
            gguf.tensor(name, new long[] {in, out, EXPERTS}, uniform(in * out * EXPERTS, (float) Math.sqrt(3.0 / in)));
        }

        void vector(String name, int size, float limit) {
            gguf.tensor(name, new long[] {size}, uniform(size, limit));
        }

        void ones(String name, int size) {
            float[] values = new float[size];
            Arrays.fill(values, 1f);
            gguf.tensor(name, new long[] {size}, values);
        }

        private float[] uniform(int count, float limit) {
            float[] values = new float[count];
            for (int i = 0; i < count; i++) {
                values[i] = (random.nextFloat() * 2 - 1) * limit;
            }
            return values;
        }
    }
}
