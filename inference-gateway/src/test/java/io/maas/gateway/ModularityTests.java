package io.maas.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The gateway's feature packages ({@code auth}, {@code admission}, {@code relay}, {@code metering}, …)
 * form no cycle, and the gateway keeps the module rules of the architecture: it depends on
 * {@code platform-api}, {@code pricing} and {@code db} only (never on tenant-service's or the engine
 * adapter's code). Ending a reservation from metering goes through admission's own code, which is
 * why the price book in force lives in its own package: admission and metering both read it.
 */
class ModularityTests {

    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.maas.gateway");

    @Test
    void featurePackagesFormNoCycle() {
        slices().matching("io.maas.gateway.(*)..").should().beFreeOfCycles().check(GATEWAY);
    }

    @Test
    void theGatewayDependsOnContractsAndLibrariesOnlyNeverOnOtherServices() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.maas.tenant..", "io.maas.engine..", "io.maas.console..")
                .check(GATEWAY);
    }
}
