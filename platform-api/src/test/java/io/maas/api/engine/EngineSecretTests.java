package io.maas.api.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EngineSecretTests {

    private final EngineSecret secret = EngineSecret.of("0123456789abcdef-secret");

    @Test
    void admitsOnlyTheBearerOfTheSecret() {
        assertThat(secret.admits("Bearer 0123456789abcdef-secret")).isTrue();
        assertThat(secret.admits("Bearer 0123456789abcdef-secreT")).isFalse();
        assertThat(secret.admits("0123456789abcdef-secret")).isFalse();
        assertThat(secret.admits(null)).isFalse();
        assertThat(secret.authorization()).contains("Bearer 0123456789abcdef-secret");
    }

    @Test
    void noSecretAdmitsNobodyAndSendsNothing() {
        assertThat(EngineSecret.of("  ")).isSameAs(EngineSecret.NONE);
        assertThat(EngineSecret.of(null).isSet()).isFalse();
        assertThat(EngineSecret.NONE.admits("Bearer ")).isFalse();
        assertThat(EngineSecret.NONE.authorization()).isEmpty();
    }

    @Test
    void neverPrintsItself() {
        assertThat(secret.toString()).doesNotContain("secret-").isEqualTo("EngineSecret[set]");
        assertThat(EngineSecret.of("short").isStrong()).isFalse();
        assertThat(secret.isStrong()).isTrue();
    }
}
