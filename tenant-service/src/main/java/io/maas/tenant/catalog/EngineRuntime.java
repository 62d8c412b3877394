package io.maas.tenant.catalog;

import com.fasterxml.jackson.annotation.JsonValue;
import io.maas.api.accelerator.AcceleratorProviders;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What serves a deployment's replicas: engine-adapter's in-process llama.cpp or simulated engine, or an
 * external engine that an accelerator provider launches. Which vendor runs which engine is the
 * provider's answer ({@link io.maas.api.accelerator.AcceleratorProvider#engines()}); the simulated engine
 * stands in for any accelerator.
 */
public enum EngineRuntime {
    LLAMACPP("llamacpp", "llama.cpp"),
    SIMULATED("simulated", null),
    VLLM("vllm", "vllm"),
    VLLM_ASCEND("vllm-ascend", "vllm-ascend"),
    MINDIE("mindie", "mindie"),
    VLLM_KUNLUN("vllm-kunlun", "vllm-kunlun");

    private static final AcceleratorProviders PROVIDERS = AcceleratorProviders.load(EngineRuntime.class.getClassLoader());

    private final String id;
    private final String providerEngine;

    EngineRuntime(String id, String providerEngine) {
        this.id = id;
        this.providerEngine = providerEngine;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** The engine name the accelerator provider launches; empty for the simulated engine. */
    public Optional<String> providerEngine() {
        return Optional.ofNullable(providerEngine);
    }

    /** Whether {@code vendor}'s accelerators run this engine. */
    public boolean runsOn(String vendor) {
        return this == SIMULATED || vendorKnown(vendor) && PROVIDERS.require(vendor).engines().contains(providerEngine);
    }

    /** The runtimes {@code vendor}'s accelerators run, the default first. */
    public static List<EngineRuntime> on(String vendor) {
        if (!vendorKnown(vendor)) {
            return List.of();
        }
        return PROVIDERS.require(vendor).engines().stream()
                .flatMap(engine -> Arrays.stream(values()).filter(runtime -> engine.equals(runtime.providerEngine)))
                .toList();
    }

    public static boolean vendorKnown(String vendor) {
        return PROVIDERS.all().stream().anyMatch(provider -> provider.id().equals(vendor));
    }

    /** The runtime with this id, if any. */
    public static Optional<EngineRuntime> parse(String text) {
        String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(runtime -> runtime.id.equals(wanted)).findFirst();
    }
}
