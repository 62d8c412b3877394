package io.maas.api.accelerator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Guards the accelerator SPI against changes that would break providers built against an earlier
 * version. The committed file {@code spi-signatures.txt} is the published surface: a line that
 * disappears (a removed or changed method, type or constant) or a new abstract method is an
 * incompatible change and fails {@link #noIncompatibleChange()}; compatible additions only need the
 * file brought up to date ({@link #signatureFileIsCurrent()}).
 */
class AcceleratorSpiCompatibilityTests {

    private static final String FILE = "spi-signatures.txt";

    private final Set<String> current = SpiSignatures.of(
            AcceleratorProvider.class, AcceleratorProviders.class, DiscoveryException.class);

    @Test
    void noIncompatibleChange() throws IOException {
        Set<String> published = published();

        Set<String> removedOrChanged = new TreeSet<>(published);
        removedOrChanged.removeAll(current);
        Set<String> newAbstract = current.stream()
                .filter(line -> line.contains(" abstract ") && !published.contains(line))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(removedOrChanged)
                .as("SPI lines removed or changed; providers built against the published SPI would break. "
                        + "Keep the old signature (deprecate it) instead")
                .isEmpty();
        assertThat(newAbstract)
                .as("new abstract SPI methods break every existing provider; make them default methods")
                .isEmpty();
    }

    @Test
    void signatureFileIsCurrent() throws IOException {
        Set<String> added = new TreeSet<>(current);
        added.removeAll(published());

        assertThat(added)
                .as("the SPI grew compatibly; add these lines to platform-api/src/test/resources/io/maas/api/accelerator/" + FILE)
                .isEmpty();
    }

    @Test
    void signaturesSeeEveryPublicTypeOfTheSpi() {
        assertThat(current).contains(
                "io.maas.api.accelerator.Device record",
                "io.maas.api.accelerator.DiscoveryException class extends java.lang.RuntimeException",
                "io.maas.api.accelerator.Precision constant FP8",
                "io.maas.api.accelerator.AcceleratorProvider default java.util.Optional<java.lang.String> visibleDevicesVariable()");
    }

    private static Set<String> published() throws IOException {
        try (InputStream in = AcceleratorSpiCompatibilityTests.class.getResourceAsStream(FILE)) {
            assertThat(in).as(FILE + " on the test class path").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
