package io.maas.engine.cli;

import io.maas.accelerators.fit.FitReport;
import io.maas.accelerators.fit.FitRequest;
import java.util.List;
import java.util.Locale;

/** The options of {@code platform fit} and its readable answer. */
final class FitOptions {

    static final List<String> VALUED = List.of("--model", "--precision", "--accelerator", "--devices", "--context", "--concurrency");

    private FitOptions() {
    }

    static FitRequest request(Options options) {
        for (String required : List.of("--model", "--precision", "--accelerator")) {
            if (options.get(required) == null) {
                throw new IllegalArgumentException("fit needs " + required);
            }
        }
        return new FitRequest(options.get("--model"), null, options.get("--precision"), options.get("--accelerator"),
                options.integer("--devices"), options.integer("--context"), options.integer("--concurrency"));
    }

    /** The command-line flag for a request field named in an error. */
    static String flag(String param) {
        return param.equals("contextLength") ? "--context" : "--" + param.replaceFirst("^modelSpec.*", "model");
    }

    static String describe(FitReport report) {
        String minimum = report.minimumDevices() == null ? "does not fit on any layout this calculator tries"
                : report.minimumDevices() + " devices";
        return String.format(Locale.ROOT, """
                %s at %s on %s, %d-token context, %d at once
                minimum:    %s
                checked:    %d devices on %d server(s): tensor parallel %d, data parallel %d, expert parallel %d
                per device: weights %.1f GiB + KV cache %.1f GiB + activations %.1f GiB = %.1f GiB of %.1f GiB usable: %s
                reserve:    %.1f GiB of %.1f GiB for driver and runtime
                KV cache:   room for %d tokens per replica
                """, report.model(), report.precision().id(), report.accelerator(), report.contextLength(), report.concurrency(), minimum,
                report.devices(), report.nodes(), report.tensorParallelSize(), report.dataParallelSize(), report.expertParallelSize(),
                report.weightsGiB(), report.kvCacheGiB(), report.activationsGiB(), report.usedGiB(), report.usableGiB(),
                report.fits() ? "fits" : "does not fit", report.reserveGiB(), report.memoryGiB(), report.kvCacheTokensPerReplica());
    }
}
