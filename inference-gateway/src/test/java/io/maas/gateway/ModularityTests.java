package io.maas.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The gateway's feature packages ({@code auth}, {@code admission}, {@code relay}, {@code metering}, …)
 * form no cycle, and the gateway keeps the module rules of the architecture: it depends on
 * {@code platform-api}, {@code pricing} and {@code db} only (never on tenant-service's or the engine
 * adapter's code). Ending a reservation from metering goes through admission's own code, which is
 * why the price book in force lives in its own package: admission and metering both read it.
 *
 * <p>The data plane writes only its own tables: tenants, keys, price books, credits, limits and
 * deployments belong to tenant-service (the demo tenant too), which the gateway only reads.
 */
class ModularityTests {

    /** The gateway's classes, without its tests; {@link SchedulingTests} checks them too. */
    static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.maas.gateway");

    @Test
    void featurePackagesFormNoCycle() {
        slices().matching("io.maas.gateway.(*)..").should().beFreeOfCycles().check(GATEWAY);
    }

    /**
     * What the gateway writes: usage, its ledger and roll-ups, reservations, the request journal, and what tenants send
     * through {@code /v1} with their keys: files and batches.
     */
    private static final Set<String> DATA_PLANE_TABLES = Set.of("usage_record", "usage_ledger", "usage_daily", "deployment_daily",
            "admission_reservation", "request_journal", "batch_file", "batch", "batch_line");
    /** The one control-plane column the gateway keeps up to date: when a key was last used. */
    private static final String KEY_LAST_USED = "UPDATE api_key SET last_used_at";
    /** INSERT INTO t, UPDATE t, DELETE FROM t (SQL is written in capitals here); not an upsert's DO UPDATE nor FOR UPDATE. */
    private static final Pattern WRITE = Pattern.compile("(?<!DO |FOR )\\b(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+([a-z_]+)");

    @Test
    void theGatewayWritesTheDataPlanesTablesOnlyNeverTheControlPlanes() throws IOException {
        Set<String> written = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src", "main"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".sql")).toList()) {
                WRITE.matcher(Files.readString(source).replace(KEY_LAST_USED, "")).results().map(m -> m.group(1))
                        .forEach(written::add);
            }
        }
        assertThat(written).as("tables the gateway writes").isNotEmpty().isSubsetOf(DATA_PLANE_TABLES);
    }

    @Test
    void theGatewayDependsOnContractsAndLibrariesOnlyNeverOnOtherServices() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.maas.tenant..", "io.maas.engine..", "io.maas.console..")
                .check(GATEWAY);
    }
}
