package io.maas.tenant.deployment.kubernetes;

import io.maas.tenant.deployment.provision.Provisioner;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

class KubernetesConfigurationTests {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class, ValidationAutoConfiguration.class))
            .withUserConfiguration(KubernetesConfiguration.class);

    @Test
    void theKubernetesTargetExistsOnlyWhenEnabled() {
        context.run(started -> assertThat(started).doesNotHaveBean(Provisioner.class));
        context.withPropertyValues("platform.deployments.kubernetes.enabled=true").run(started -> {
            assertThat(started).hasSingleBean(Provisioner.class);
            assertThat(started.getBean(Provisioner.class).target()).isEqualTo("kubernetes");
            assertThat(started.getBean(KubernetesProperties.class).namespace()).isEqualTo("maas-engines");
        });
    }

    @Test
    void invalidSettingsStopTheStartNamingTheKey() {
        context.withPropertyValues("platform.deployments.kubernetes.enabled=true", "platform.deployments.kubernetes.namespace=")
                .run(started -> assertThat(started).getFailure().rootCause().hasMessageContaining("namespace"));
    }
}
