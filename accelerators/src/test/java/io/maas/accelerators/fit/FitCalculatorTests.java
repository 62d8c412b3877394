package io.maas.accelerators.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.maas.api.accelerator.AcceleratorProviders;
import io.maas.api.accelerator.Precision;
import org.junit.jupiter.api.Test;

/**
 * The published figures for DeepSeek-V3/R1 671B at its full 128K context: FP8 on 8 × H200 (not
 * 8 × H100, which needs 2 × 8); BF16 on 4 × 8 H100 or 2 × 8 H200; W8A8 on 2 × Atlas 800 A2
 * (16 × 910B 64 GB); INT8 on 8 × P800 96 GB.
 */
class FitCalculatorTests {

    private final FitCalculator calculator = new FitCalculator(AcceleratorProviders.load());

    private FitReport fit(String precision, String accelerator, Integer devices) {
        return calculator.fit(new FitRequest("deepseek-v3", null, precision, accelerator, devices, null));
    }

    @Test
    void fp8FitsEightH200() {
        FitReport report = fit("fp8", "h200", 8);

        assertThat(report.fits()).isTrue();
        assertThat(report.minimumDevices()).isEqualTo(8);
        assertThat(report.weightsGiB()).isEqualTo(78.1);
        assertThat(report.kvCacheGiB()).isEqualTo(8.6);
        assertThat(report.usableGiB()).isEqualTo(126.4);
        assertThat(report.tensorParallelSize()).isEqualTo(8);
        assertThat(report.expertParallelSize()).isEqualTo(8);
    }

    @Test
    void fp8DoesNotFitEightH100ButTwoServers() {
        FitReport eight = fit("fp8", "h100", 8);
        FitReport minimum = fit("fp8", "h100", null);

        assertThat(eight.fits()).isFalse();
        assertThat(eight.weightsGiB()).isGreaterThan(eight.usableGiB());
        assertThat(minimum.devices()).isEqualTo(16);
        assertThat(minimum.nodes()).isEqualTo(2);
        assertThat(minimum.tensorParallelSize()).isEqualTo(8);
        assertThat(minimum.dataParallelSize()).isEqualTo(2);
        assertThat(minimum.expertParallelSize()).isEqualTo(16);
    }

    @Test
    void bf16NeedsFourServersOfH100() {
        FitReport minimum = fit("bf16", "h100", null);

        assertThat(minimum.devices()).as("24 H100 would hold it, but 256 experts do not split over 24").isEqualTo(32);
        assertThat(minimum.nodes()).isEqualTo(4);
        assertThat(fit("bf16", "h100", 16).fits()).isFalse();
    }

    @Test
    void bf16NeedsTwoServersOfH200() {
        assertThat(fit("bf16", "h200", null).devices()).isEqualTo(16);
        assertThat(fit("bf16", "h200", 8).fits()).isFalse();
    }

    @Test
    void w8a8NeedsTwoAtlas800A2() {
        FitReport minimum = fit("w8a8", "910b", null);

        assertThat(minimum.devices()).isEqualTo(16);
        assertThat(minimum.nodes()).isEqualTo(2);
        assertThat(fit("w8a8", "910b", 8).fits()).isFalse();
    }

    @Test
    void int8FitsEightP800() {
        FitReport report = fit("int8", "p800", null);

        assertThat(report.precision()).isEqualTo(Precision.W8A8);
        assertThat(report.devices()).isEqualTo(8);
        assertThat(report.fits()).isTrue();
        assertThat(report.kvCacheTokensPerReplica()).isGreaterThanOrEqualTo(131_072);
        assertThat(fit("int8", "p800", 4).fits()).isFalse();
    }

    @Test
    void deepSeekV2LiteFitsOneGpu() {
        FitReport report = calculator.fit(new FitRequest("deepseek-v2-lite", null, "bf16", "h100", null, null));

        assertThat(report.devices()).isEqualTo(1);
        assertThat(report.weightsGiB()).isEqualTo(29.2);
    }

    @Test
    void shorterContextNeedsLessCache() {
        FitReport full = fit("fp8", "h200", 8);
        FitReport shorter = calculator.fit(new FitRequest("deepseek-r1", null, "fp8", "h200", 8, 32_768));

        assertThat(shorter.kvCacheGiB()).isEqualTo(2.1);
        assertThat(shorter.kvCacheTokensPerReplica()).isEqualTo(full.kvCacheTokensPerReplica());
    }

    @Test
    void theBreakdownAddsUpPerDevice() {
        FitReport report = fit("fp8", "h200", 8);

        assertThat(report.activationsGiB()).isEqualTo(2.0);
        assertThat(report.memoryGiB()).isEqualTo(140.4);
        assertThat(report.reserveGiB()).isEqualTo(14.0);
        assertThat(report.usedGiB()).isEqualTo(88.7);
        assertThat(report.usableGiB() + report.reserveGiB()).isCloseTo(report.memoryGiB(), offset(0.11));
    }

    @Test
    void r1Bf16IsRefusedOnEightH100() {
        FitReport report = calculator.fit(new FitRequest("deepseek-r1", null, "bf16", "h100", 8, null));

        assertThat(report.model()).isEqualTo("deepseek-r1");
        assertThat(report.fits()).isFalse();
        assertThat(report.weightsGiB()).isGreaterThan(report.usableGiB());
        assertThat(report.minimumDevices()).isEqualTo(32);
    }

    @Test
    void concurrencyMultipliesTheCacheAndCanRaiseTheMinimum() {
        FitReport one = calculator.fit(new FitRequest("deepseek-r1-distill-llama-70b", null, "bf16", "h100", null, 32_768, 1));
        FitReport many = calculator.fit(new FitRequest("deepseek-r1-distill-llama-70b", null, "bf16", "h100", null, 32_768, 64));

        assertThat(one.devices()).isEqualTo(4);
        assertThat(many.concurrency()).isEqualTo(64);
        assertThat(many.devices()).isGreaterThan(one.devices());
        assertThat(many.kvCacheGiB()).isGreaterThan(one.kvCacheGiB() * 8);
        assertThatThrownBy(() -> calculator.fit(new FitRequest("deepseek-r1", null, "fp8", "h200", null, null, 0)))
                .isInstanceOfSatisfying(FitRequestException.class, e -> assertThat(e.param()).isEqualTo("concurrency"));
    }

    @Test
    void theDemoModelFitsThisMachinesCpu() {
        FitReport report = calculator.fit(new FitRequest("demo-moe", null, "f32", "cpu", null, null));

        assertThat(report.fits()).isTrue();
        assertThat(report.devices()).isEqualTo(1);
        assertThat(report.accelerator()).isEqualTo("cpu");
    }

    @Test
    void everyCatalogPresetFitsSomewhere() {
        for (ModelSpec model : ModelSpec.PRESETS) {
            FitReport report = calculator.fit(new FitRequest(model.id(), null, "bf16", "h200", null, Math.min(model.contextLength(), 32_768)));
            assertThat(report.minimumDevices()).as(model.id()).isNotNull();
        }
    }

    @Test
    void aCustomGroupedQueryModel() {
        ModelSpec dense = new ModelSpec("llama-70b", 70_600_000_000L, 70_600_000_000L, 80, 64, 0, 0, 8, 128, 0, 0, 131_072);

        FitReport report = calculator.fit(new FitRequest(null, dense, "fp8", "h100", null, null));

        assertThat(report.devices()).isEqualTo(2);
        assertThat(report.expertParallelSize()).isEqualTo(1);
    }

    @Test
    void precisionsTheChipLacksAreRejectedWithWhatItRuns() {
        assertThatThrownBy(() -> fit("fp8", "910b", null))
                .isInstanceOfSatisfying(FitRequestException.class, e -> assertThat(e.param()).isEqualTo("precision"))
                .hasMessage("910B3 does not run fp8; it runs [bf16, fp16, w4a16, w8a8]");
        assertThatThrownBy(() -> fit("fp8", "p800", null)).hasMessageStartingWith("P800 OAM does not run fp8");
    }

    @Test
    void badInputNamesTheField() {
        assertThatThrownBy(() -> fit("fp8", "mi300x", null))
                .isInstanceOfSatisfying(FitRequestException.class, e -> assertThat(e.param()).isEqualTo("accelerator"))
                .hasMessage("unknown accelerator \"mi300x\"; use one of h100, h200, 910b, p800 or cpu");
        assertThatThrownBy(() -> calculator.fit(new FitRequest("gpt-5", null, "fp8", "h200", null, null)))
                .isInstanceOfSatisfying(FitRequestException.class, e -> assertThat(e.param()).isEqualTo("model"));
        assertThatThrownBy(() -> fit("fp8", "h200", 12))
                .isInstanceOfSatisfying(FitRequestException.class, e -> assertThat(e.param()).isEqualTo("devices"))
                .hasMessageContaining("12 h200 devices cannot be laid out");
        assertThatThrownBy(() -> calculator.fit(new FitRequest("deepseek-v3", null, "fp8", "h200", null, 200_000)))
                .isInstanceOfSatisfying(FitRequestException.class, e -> assertThat(e.param()).isEqualTo("contextLength"));
        assertThatThrownBy(() -> new ModelSpec("x", 10, 20, 1, 1, 512, 64, 0, 0, 0, 0, 1))
                .isInstanceOf(FitRequestException.class).hasMessageContaining("activeParams");
    }
}
