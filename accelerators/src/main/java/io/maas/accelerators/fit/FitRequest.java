package io.maas.accelerators.fit;

/**
 * A question to the fit calculator: a preset {@code model} or a {@code modelSpec}, a precision and an
 * accelerator; optionally a device count to check, the context one sequence must hold and how many such
 * sequences must be in the KV cache at once.
 *
 * @param model         preset id ({@code deepseek-v3}, {@code deepseek-r1}, {@code deepseek-v2-lite}); ignored when modelSpec is given
 * @param modelSpec     the model described in full
 * @param precision     weight precision ({@code fp8}, {@code bf16}, {@code w8a8}/{@code int8}, …)
 * @param accelerator   catalog id ({@code h100}, {@code h200}, {@code 910b}, {@code p800})
 * @param devices       the device count to check; null = the minimum
 * @param contextLength tokens one sequence must be able to hold; null = the model's full context
 * @param concurrency   sequences of {@code contextLength} tokens the KV cache of one replica holds at once; null = 1
 */
public record FitRequest(String model, ModelSpec modelSpec, String precision, String accelerator, Integer devices,
        Integer contextLength, Integer concurrency) {

    /** One sequence at a time. */
    public FitRequest(String model, ModelSpec modelSpec, String precision, String accelerator, Integer devices, Integer contextLength) {
        this(model, modelSpec, precision, accelerator, devices, contextLength, null);
    }
}
