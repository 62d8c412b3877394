package io.maas.accelerators.fit;

import io.maas.api.accelerator.AcceleratorProviders;
import io.maas.api.accelerator.Precision;
import java.util.Optional;
import java.util.Set;

/**
 * How many devices a model needs, and how to lay it out over them.
 *
 * <p>Rules:
 * <ul>
 *   <li>Weights take {@link #bytesPerWeight} per parameter. Layout: tensor parallel inside one server
 *       (up to its device count), data parallel over servers, and for MoE models expert parallel over
 *       all devices. Attention and shared weights are split by tensor parallelism (and copied per
 *       replica), routed experts by expert parallelism.</li>
 *   <li>Tensor parallelism must divide the attention heads, expert parallelism the routed experts,
 *       and more devices than one server holds come in whole servers.</li>
 *   <li>The KV cache is kept in BF16 (2 bytes a value). A fit needs room for {@code concurrency}
 *       sequences of the requested context (at least one, as an engine refuses to start otherwise); a
 *       data-parallel replica holds its share of them, rounded up.</li>
 *   <li>Beside weights and cache each device keeps {@value #ACTIVATIONS_GIB} GiB for activations and
 *       workspace, inside the usable fraction of its memory ({@link AcceleratorSpec#usableFraction()});
 *       the rest of the memory is the reserve for driver, runtime and communication buffers.</li>
 * </ul>
 */
public final class FitCalculator {

    static final double ACTIVATIONS_GIB = 2.0;
    static final int MAX_DEVICES = 1024;
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final int KV_BYTES = 2;

    private final AcceleratorProviders providers;

    public FitCalculator(AcceleratorProviders providers) {
        this.providers = providers;
    }

    /**
     * Bytes one weight takes: 2 for BF16/FP16, 1 for FP8 and W8A8 (scales are per block or channel and
     * negligible), 0.5 plus a 16-bit scale per 128 weights for W4A16, and llama.cpp's block formats.
     */
    static double bytesPerWeight(Precision precision) {
        return switch (precision) {
            case BF16, FP16 -> 2.0;
            case FP8, W8A8 -> 1.0;
            case W4A16 -> 0.5 + 2.0 / 128;
            case Q8_0 -> 34.0 / 32;
            case Q4_K_M -> 4.85 / 8;
            case F32 -> 4.0;
        };
    }

    /**
     * @throws FitRequestException when the request names an unknown model, precision or accelerator,
     *         a precision the accelerator does not run, or a device count no layout can use
     */
    public FitReport fit(FitRequest request) {
        ModelSpec model = request.modelSpec() != null ? request.modelSpec() : ModelSpec.preset(request.model());
        Precision precision = precision(request.precision());
        AcceleratorSpec accelerator = AcceleratorSpec.byId(request.accelerator());
        Set<Precision> runs = providers.require(accelerator.vendor()).precisions(accelerator.deviceName());
        if (!runs.contains(precision)) {
            throw new FitRequestException("precision", accelerator.deviceName() + " does not run " + precision.id() + "; it runs "
                    + runs.stream().map(Precision::id).sorted().toList());
        }
        int context = request.contextLength() == null ? model.contextLength() : request.contextLength();
        if (context < 1 || context > model.contextLength()) {
            throw new FitRequestException("contextLength", "contextLength must be 1 to " + model.contextLength()
                    + " tokens for " + model.id() + ", was " + context);
        }
        int concurrency = request.concurrency() == null ? 1 : request.concurrency();
        if (concurrency < 1 || concurrency > 100_000) {
            throw new FitRequestException("concurrency", "concurrency must be 1 to 100000 sequences, was " + concurrency);
        }
        Integer minimum = null;
        for (int n = 1; n <= MAX_DEVICES && minimum == null; n++) {
            Optional<FitReport> report = layout(model, precision, accelerator, context, concurrency, n, null);
            if (report.isPresent() && report.get().fits()) {
                minimum = n;
            }
        }
        if (request.devices() != null) {
            int devices = request.devices();
            return layout(model, precision, accelerator, context, concurrency, devices, minimum).orElseThrow(() -> new FitRequestException("devices",
                    devices + " " + accelerator.id() + " devices cannot be laid out for " + model.id() + ": use 1 to "
                            + accelerator.devicesPerNode() + " devices of one server, or whole servers, so that tensor parallelism divides "
                            + model.attentionHeads() + " heads" + (model.moe() ? " and expert parallelism " + model.routedExperts() + " experts" : "")));
        }
        if (minimum == null) {
            return layout(model, precision, accelerator, context, concurrency, accelerator.devicesPerNode(), null).orElseThrow();
        }
        return layout(model, precision, accelerator, context, concurrency, minimum, minimum).orElseThrow();
    }

    private Optional<FitReport> layout(ModelSpec model, Precision precision, AcceleratorSpec accelerator, int context, int concurrency,
            int devices, Integer minimum) {
        if (devices < 1) {
            return Optional.empty();
        }
        int tensor = Math.min(devices, accelerator.devicesPerNode());
        int expert = model.moe() ? devices : 1;
        if (devices % tensor != 0 || model.attentionHeads() % tensor != 0 || model.moe() && model.routedExperts() % expert != 0) {
            return Optional.empty();
        }
        double bytes = bytesPerWeight(precision);
        double expertParams = model.routedExpertParams();
        double weights = ((model.totalParams() - expertParams) / tensor + expertParams / expert) * bytes / GIB;
        double kvPerToken = (double) model.kvValuesPerTokenPerDevice(tensor) * KV_BYTES / GIB;
        int dataParallel = devices / tensor;
        int sequencesPerDevice = (concurrency + dataParallel - 1) / dataParallel;
        double kvCache = kvPerToken * context * sequencesPerDevice;
        double memory = accelerator.memoryMiB() / 1024.0;
        double usable = memory * accelerator.usableFraction();
        double free = usable - weights - ACTIVATIONS_GIB;
        boolean fits = free >= kvCache;
        long tokens = free <= 0 ? 0 : (long) Math.floor(free / kvPerToken);
        return Optional.of(new FitReport(model.id(), precision, accelerator.id(), context, concurrency, minimum, devices,
                (devices + accelerator.devicesPerNode() - 1) / accelerator.devicesPerNode(), tensor, dataParallel, expert, fits,
                round(weights), round(kvCache), ACTIVATIONS_GIB, round(memory - usable), round(usable), round(memory), tokens));
    }

    private static Precision precision(String text) {
        try {
            return Precision.parse(text);
        } catch (IllegalArgumentException e) {
            throw new FitRequestException("precision", e.getMessage());
        }
    }

    private static double round(double gib) {
        return Math.round(gib * 10) / 10.0;
    }
}
