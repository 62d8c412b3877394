package io.maas.tenant.deployment;

import io.maas.accelerators.fit.AcceleratorSpec;
import io.maas.accelerators.fit.FitCalculator;
import io.maas.accelerators.fit.FitReport;
import io.maas.accelerators.fit.FitRequest;
import io.maas.accelerators.fit.FitRequestException;
import io.maas.accelerators.fit.ModelSpec;
import io.maas.api.accelerator.AcceleratorProviders;
import io.maas.api.accelerator.Precision;
import io.maas.tenant.catalog.Catalog;
import io.maas.tenant.catalog.CatalogEntry;
import io.maas.tenant.catalog.EngineRuntime;
import io.maas.tenant.deployment.provision.AcceleratorOffer;
import io.maas.tenant.deployment.provision.Provisioner;
import io.maas.tenant.system.ApiException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Turns a deployment request into a {@link Plan}, or refuses it naming the field: 400 for a value that is
 * malformed or unknown, 422 for one that is well-formed but cannot be served (does not fit, a runtime the
 * accelerator cannot run, a target that is not configured, weights this machine lacks).
 *
 * <p>One-click: with no {@code accelerator}, every accelerator the target offers is tried with every
 * precision the model ships in that the chip runs; the plan takes the fewest devices per replica, then
 * the precision the model ships natively. A replica spans one node on {@code local}, and as many whole
 * nodes as fit needs on {@code kubernetes}.
 */
@Component
class Planner {

    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final Catalog catalog;
    private final Provisioners provisioners;
    private final DeploymentProperties properties;
    private final FitCalculator calculator = new FitCalculator(AcceleratorProviders.load(Planner.class.getClassLoader()));
    private final AcceleratorProviders providers = AcceleratorProviders.load(Planner.class.getClassLoader());

    Planner(Catalog catalog, Provisioners provisioners, DeploymentProperties properties) {
        this.catalog = catalog;
        this.provisioners = provisioners;
        this.properties = properties;
    }

    Plan plan(DeploymentRequest request) {
        String name = required(request.name(), "name");
        if (!DNS_LABEL.matcher(name).matches()) {
            throw bad("name", "name must be a DNS label: 1 to 63 lower-case letters, digits and '-', starting and ending with a "
                    + "letter or digit; was '" + name + "'");
        }
        String model = required(request.model(), "model");
        CatalogEntry entry = catalog.find(model).orElseThrow(() -> bad("model", "unknown catalog model '" + model + "'; use one of "
                + String.join(", ", catalog.ids())));
        ModelSpec spec = catalog.spec(model).orElseThrow();
        String servedModelName = request.servedModelName() == null ? model : request.servedModelName().strip();
        if (servedModelName.isEmpty() || servedModelName.length() > 200 || servedModelName.chars().anyMatch(Character::isWhitespace)) {
            throw bad("servedModelName", "servedModelName must be 1 to 200 characters without spaces");
        }
        String target = request.target() == null ? "local" : request.target().strip().toLowerCase(Locale.ROOT);
        if (!target.equals("local") && !target.equals("kubernetes")) {
            throw bad("target", "target must be local or kubernetes, was '" + request.target() + "'");
        }
        Provisioner provisioner = provisioners.find(target).orElseThrow(() -> unprocessable("target", "target '" + target
                + "' is not configured on this platform" + (target.equals("kubernetes")
                ? "; set platform.deployments.kubernetes.enabled=true and the cluster's connection" : "")
                + "; configured: " + provisioners.targets()));
        try {
            provisioner.checkName(name);
        } catch (IllegalArgumentException e) {
            throw bad("name", e.getMessage());
        }
        int replicas = request.replicas() == null ? 1 : request.replicas();
        checkReplicas(replicas, properties.maxReplicas());
        int context = request.contextLength() == null ? spec.contextLength() : request.contextLength();
        if (context < 1 || context > spec.contextLength()) {
            throw bad("contextLength", "contextLength must be 1 to " + spec.contextLength() + " tokens for " + model + ", was " + context);
        }
        int concurrency = request.concurrency() == null ? properties.defaultConcurrency() : request.concurrency();
        if (concurrency < 1) {
            throw bad("concurrency", "concurrency must be 1 or more, was " + concurrency);
        }
        DeploymentRequest.Money cost = cost(request.costPerAcceleratorHour());
        Optional<EngineRuntime> runtime = Optional.ofNullable(request.runtime()).map(text -> EngineRuntime.parse(text)
                .orElseThrow(() -> bad("runtime", "unknown runtime '" + text + "'; use one of llamacpp, simulated, vllm, vllm-ascend, "
                        + "mindie, vllm-kunlun")));

        Placement placement = request.accelerator() == null
                ? choose(entry, spec, provisioner, runtime, request.precision(), context, concurrency)
                : named(entry, spec, request.accelerator(), runtime, request.precision(), context, concurrency);
        EngineRuntime chosenRuntime = runtime.orElseGet(() -> EngineRuntime.on(placement.vendor()).getFirst());
        if (!chosenRuntime.runsOn(placement.vendor())) {
            throw unprocessable("runtime", "runtime " + chosenRuntime.id() + " does not run on " + placement.vendor() + " accelerators; "
                    + placement.vendor() + " runs " + EngineRuntime.on(placement.vendor()).stream().map(EngineRuntime::id).toList()
                    + " (or simulated)");
        }
        if (target.equals("local") && chosenRuntime != EngineRuntime.SIMULATED) {
            requireOnThisMachine(provisioner, placement);
            if (entry.weights().missing()) {
                throw unprocessable("model", model + " has no weights on this machine; set platform.catalog.weights." + model
                        + " to its GGUF file or safetensors directory, or deploy it with runtime simulated");
            }
        }
        FitReport fit = placement.fit();
        return new Plan(name, request.tenantId(), model, servedModelName, target, chosenRuntime, placement.vendor(),
                placement.vendor().equals("cpu") ? null : fit.accelerator(), fit.devices(), fit.nodes(), fit.precision().id(),
                context, replicas, cost, fit, placement.reason());
    }

    /** An accelerator, a precision and the fit that justifies them, with the reason in words. */
    private record Placement(String vendor, FitReport fit, String reason) {
    }

    private Placement named(CatalogEntry entry, ModelSpec spec, DeploymentRequest.Accelerator accelerator, Optional<EngineRuntime> runtime,
            String precisionText, int context, int concurrency) {
        String vendor = accelerator.vendor() == null ? null : accelerator.vendor().strip().toLowerCase(Locale.ROOT);
        String type = accelerator.type() == null ? null : accelerator.type().strip().toLowerCase(Locale.ROOT);
        if (vendor == null && type != null) {
            vendor = spec(type).vendor();
        }
        if (vendor == null || !EngineRuntime.vendorKnown(vendor)) {
            throw bad("accelerator.vendor", "accelerator.vendor must be one of nvidia, ascend, kunlun, cpu; was '" + accelerator.vendor() + "'");
        }
        if (vendor.equals("cpu")) {
            type = AcceleratorSpec.CPU;
        } else if (type == null) {
            throw bad("accelerator.type", "accelerator.type is needed for " + vendor + ": one of " + AcceleratorSpec.CATALOG.stream()
                    .filter(s -> s.vendor().equals(accelerator.vendor())).map(AcceleratorSpec::id).toList());
        }
        AcceleratorSpec device = spec(type);
        if (!device.vendor().equals(vendor)) {
            throw bad("accelerator.type", type + " is a " + device.vendor() + " accelerator, not " + vendor);
        }
        Precision precision = precisionText != null ? precision(precisionText)
                : entry.precisions().stream().filter(p -> runs(device, p)).findFirst().orElseThrow(() -> unprocessable("precision",
                        entry.id() + " ships in " + ids(entry.precisions()) + ", which " + device.id() + " does not run; name a precision"));
        Integer count = accelerator.countPerReplica();
        if (count != null && count < 1) {
            throw bad("accelerator.countPerReplica", "accelerator.countPerReplica must be 1 or more, was " + count);
        }
        FitReport report = fit(spec, precision, device, count, context, concurrency);
        if (!report.fits()) {
            String needs = report.minimumDevices() == null ? "no layout up to 1024 devices holds it"
                    : "it needs " + report.minimumDevices() + " " + device.id();
            throw unprocessable("accelerator.countPerReplica", entry.id() + " at " + precision.id() + " with a " + context
                    + "-token context does not fit " + report.devices() + " × " + device.id() + ": per device, weights "
                    + report.weightsGiB() + " GiB + KV cache " + report.kvCacheGiB() + " GiB + activations " + report.activationsGiB()
                    + " GiB = " + report.usedGiB() + " GiB of " + report.usableGiB() + " GiB usable (" + report.reserveGiB()
                    + " GiB reserved of " + report.memoryGiB() + " GiB); " + needs).with("fit", report);
        }
        String reason = "named in the request: " + report.devices() + " × " + device.id() + " at " + precision.id() + "; per device, weights "
                + report.weightsGiB() + " GiB + KV cache " + report.kvCacheGiB() + " GiB + activations " + report.activationsGiB()
                + " GiB = " + report.usedGiB() + " GiB of " + report.usableGiB() + " GiB usable";
        return new Placement(vendor, report, reason);
    }

    private Placement choose(CatalogEntry entry, ModelSpec spec, Provisioner provisioner, Optional<EngineRuntime> runtime,
            String precisionText, int context, int concurrency) {
        List<AcceleratorOffer> offers = provisioner.inventory();
        List<Precision> precisions = precisionText == null ? entry.precisions() : List.of(precision(precisionText));
        record Candidate(AcceleratorOffer offer, Precision precision, FitReport fit, int rank) {
        }
        List<Candidate> fitting = new ArrayList<>();
        List<String> considered = new ArrayList<>();
        for (AcceleratorOffer offer : offers) {
            if (runtime.isPresent() && !runtime.get().runsOn(offer.vendor())) {
                considered.add(offer.type() + ": does not run " + runtime.get().id());
                continue;
            }
            Optional<AcceleratorSpec> known = AcceleratorSpec.CATALOG.stream().filter(a -> a.id().equals(offer.type())).findFirst()
                    .or(() -> offer.type().equals(AcceleratorSpec.CPU) ? Optional.of(AcceleratorSpec.byId(AcceleratorSpec.CPU)) : Optional.empty());
            if (known.isEmpty()) {
                considered.add(offer.type() + ": unknown to the fit calculator");
                continue;
            }
            AcceleratorSpec device = known.get();
            for (int rank = 0; rank < precisions.size(); rank++) {
                Precision precision = precisions.get(rank);
                if (!runs(device, precision)) {
                    considered.add(precision.id() + " on " + offer.type() + ": the chip does not run it");
                    continue;
                }
                FitReport report = fit(spec, precision, device, null, context, concurrency);
                int most = offer.devicesPerNode() * (provisioner.target().equals("local") ? 1 : offer.nodes());
                if (report.minimumDevices() != null && report.minimumDevices() <= most) {
                    fitting.add(new Candidate(offer, precision, report, rank));
                    considered.add(precision.id() + " on " + offer.type() + ": fits " + report.minimumDevices());
                } else {
                    considered.add(precision.id() + " on " + offer.type() + ": needs "
                            + (report.minimumDevices() == null ? "more than 1024" : report.minimumDevices()) + ", the target has " + most);
                }
            }
        }
        Candidate best = fitting.stream()
                .min(Comparator.comparingInt((Candidate c) -> c.fit().devices()).thenComparingInt(Candidate::rank))
                .orElseThrow(() -> unprocessable("accelerator", entry.id() + " fits no accelerator of target " + provisioner.target()
                        + (offers.isEmpty() ? " (it offers none)" : ": " + String.join("; ", considered))
                        + ". Name an accelerator, a precision or a shorter contextLength"));
        FitReport report = best.fit();
        AcceleratorOffer offer = best.offer();
        String reason = "chosen by fit over target " + provisioner.target() + "'s inventory (" + offers.stream()
                .map(o -> o.nodes() + " × " + o.devicesPerNode() + " " + o.type() + " from " + o.source()).collect(Collectors.joining(", "))
                + "): " + report.devices() + " × " + offer.type() + " at " + best.precision().id()
                + (best.rank() == 0 ? " (the precision it ships in)" : "") + " is the fewest devices that hold it; per device, weights "
                + report.weightsGiB() + " GiB + KV cache " + report.kvCacheGiB() + " GiB + activations " + report.activationsGiB()
                + " GiB = " + report.usedGiB() + " GiB of " + report.usableGiB() + " GiB usable. Considered: " + String.join("; ", considered);
        return new Placement(offer.vendor(), report, reason);
    }

    private void requireOnThisMachine(Provisioner provisioner, Placement placement) {
        String type = placement.fit().accelerator();
        Optional<AcceleratorOffer> offer = provisioner.inventory().stream().filter(o -> o.type().equals(type)).findFirst();
        if (offer.isEmpty() || offer.get().devicesPerNode() < placement.fit().devices()) {
            throw unprocessable("accelerator", "this machine has " + offer.map(o -> o.devicesPerNode() + " × " + type)
                    .orElse("no " + type) + ", the deployment needs " + placement.fit().devices() + " (it has: "
                    + provisioner.inventory().stream().map(o -> o.devicesPerNode() + " × " + o.type()).toList()
                    + "); use runtime simulated to try it without the devices");
        }
    }

    private FitReport fit(ModelSpec spec, Precision precision, AcceleratorSpec device, Integer count, int context, int concurrency) {
        try {
            return calculator.fit(new FitRequest(null, spec, precision.id(), device.id(), count, context, concurrency));
        } catch (FitRequestException e) {
            String field = switch (e.param()) {
                case "devices" -> "accelerator.countPerReplica";
                case "accelerator" -> "accelerator.type";
                default -> e.param();
            };
            throw unprocessable(field, e.getMessage());
        }
    }

    private boolean runs(AcceleratorSpec device, Precision precision) {
        return providers.require(device.vendor()).precisions(device.deviceName()).contains(precision);
    }

    private static AcceleratorSpec spec(String type) {
        try {
            return AcceleratorSpec.byId(type);
        } catch (FitRequestException e) {
            throw bad("accelerator.type", e.getMessage());
        }
    }

    private static Precision precision(String text) {
        try {
            return Precision.parse(text);
        } catch (IllegalArgumentException e) {
            throw bad("precision", e.getMessage());
        }
    }

    private static DeploymentRequest.Money cost(DeploymentRequest.Money cost) {
        if (cost == null) {
            return null;
        }
        if (cost.amount() == null || cost.amount().compareTo(BigDecimal.ZERO) < 0) {
            throw bad("costPerAcceleratorHour.amount", "costPerAcceleratorHour.amount must be 0 or more");
        }
        if (cost.currency() == null || !CURRENCY.matcher(cost.currency()).matches()) {
            throw bad("costPerAcceleratorHour.currency", "costPerAcceleratorHour.currency must be an ISO 4217 code such as USD or CNY");
        }
        return cost;
    }

    static void checkReplicas(Integer replicas, int max) {
        if (replicas != null && (replicas < 0 || replicas > max)) {
            throw bad("replicas", "replicas must be 0 to " + max + ", was " + replicas);
        }
    }

    static DeploymentRequest.Money checkCost(DeploymentRequest.Money cost) {
        return cost(cost);
    }

    private static String ids(List<Precision> precisions) {
        return precisions.stream().map(Precision::id).toList().toString();
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw bad(field, field + " is required");
        }
        return value.strip();
    }

    private static ApiException bad(String field, String detail) {
        return ApiException.invalid(HttpStatus.BAD_REQUEST, field, detail);
    }

    private static ApiException unprocessable(String field, String detail) {
        return ApiException.invalid(HttpStatus.UNPROCESSABLE_CONTENT, field, detail);
    }
}
