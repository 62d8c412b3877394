package io.maas.engine.cli;

import io.maas.api.accelerator.AcceleratorProviders;
import io.maas.accelerators.DeviceInventory;
import io.maas.accelerators.NodeDevices;
import io.maas.accelerators.fit.FitCalculator;
import io.maas.accelerators.fit.FitReport;
import io.maas.accelerators.fit.FitRequestException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin commands {@code ./platform devices} and {@code ./platform fit}, without a Spring context.
 *
 * <p>Exit codes: 0 done (for fit: the model fits); 1 a vendor tool failed (devices are still
 * printed) or the model does not fit; 2 bad arguments.
 */
public final class PlatformCli {

    static final String USAGE = """
            usage: platform devices [--json]
                     the accelerators and CPU of this node; vendor tools (nvidia-smi, npu-smi, xpu-smi) are found on PATH
                   platform fit --model <id> --precision <precision> --accelerator <id> [--devices <n>] [--context <tokens>] [--json]
                     weight and KV-cache memory per device, the minimum device count and a parallel layout
                     models: deepseek-v3, deepseek-r1, deepseek-v2-lite
                     precisions: bf16, fp16, fp8, w8a8 (int8), w4a16, q8_0, q4_k_m
                     accelerators: h100, h200, 910b, p800
            exit codes: 0 done (fit: fits), 1 a vendor tool failed or the model does not fit, 2 bad arguments
            """;

    private final Supplier<DeviceInventory> inventory;
    private final PrintStream out;
    private final PrintStream err;
    private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    PlatformCli(Supplier<DeviceInventory> inventory, PrintStream out, PrintStream err) {
        this.inventory = inventory;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new PlatformCli(DeviceInventory::onThisNode, System.out, System.err).run(args));
    }

    int run(String[] args) {
        List<String> arguments = Arrays.asList(args);
        if (arguments.isEmpty() || arguments.contains("--help") || arguments.contains("-h") || arguments.getFirst().equals("help")) {
            (arguments.isEmpty() ? err : out).print(USAGE);
            return arguments.isEmpty() ? 2 : 0;
        }
        try {
            return switch (arguments.getFirst()) {
                case "devices" -> devices(Options.parse(arguments.subList(1, arguments.size()), List.of()));
                case "fit" -> fit(Options.parse(arguments.subList(1, arguments.size()), FitOptions.VALUED));
                default -> throw new IllegalArgumentException("unknown command \"" + arguments.getFirst() + "\"; use devices or fit");
            };
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("run with --help for usage");
            return 2;
        }
    }

    private int devices(Options options) {
        NodeDevices node = inventory.get().discover();
        out.print(options.json() ? json.writeValueAsString(node.devices()) + System.lineSeparator() : DeviceTable.format(node.devices()));
        node.errors().forEach(error -> err.println("error: " + error));
        return node.errors().isEmpty() ? 0 : 1;
    }

    private int fit(Options options) {
        FitReport report;
        try {
            report = new FitCalculator(AcceleratorProviders.load(PlatformCli.class.getClassLoader())).fit(FitOptions.request(options));
        } catch (FitRequestException e) {
            throw new IllegalArgumentException(e.getMessage() + " (" + FitOptions.flag(e.param()) + ")", e);
        }
        out.print(options.json() ? json.writeValueAsString(report) + System.lineSeparator() : FitOptions.describe(report));
        return report.fits() ? 0 : 1;
    }
}
