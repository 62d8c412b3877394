package io.maas.api.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ApiKeySecretTests {

    @Test
    void generatedKeysAreWellFormedAndDistinct() {
        String a = ApiKeySecret.generate();
        String b = ApiKeySecret.generate();

        assertThat(a).startsWith("sk-").hasSize(51).isNotEqualTo(b);
        assertThat(ApiKeySecret.isWellFormed(a)).isTrue();
    }

    @Test
    void rejectsWhatCannotBeAKey() {
        assertThat(ApiKeySecret.isWellFormed(null)).isFalse();
        assertThat(ApiKeySecret.isWellFormed("sk-short")).isFalse();
        assertThat(ApiKeySecret.isWellFormed("pk-" + "a".repeat(40))).isFalse();
        assertThat(ApiKeySecret.isWellFormed("sk-" + "a".repeat(39) + "'")).isFalse();
    }

    @Test
    void storesSha256AndAShortPrefix() {
        String key = "sk-" + "a".repeat(48);

        assertThat(HexFormat.of().formatHex(ApiKeySecret.hash(key)))
                .isEqualTo("e1aa1d5b99d61d3bbcb90f1c8ba25247157f353e9b98cb231ac60e695d9ce694");
        assertThat(ApiKeySecret.prefix(key)).isEqualTo("sk-aaaaaaaa");
    }
}
