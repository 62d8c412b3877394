package io.maas.tenant.deployment.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.maas.api.accelerator.AcceleratorProviders;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code platform.deployments.kubernetes.enabled=true}: the {@code kubernetes} provisioner, with a client configured the
 * way fabric8 finds a cluster (the pod's service account in a cluster, else {@code KUBECONFIG} or {@code ~/.kube/config}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "platform.deployments.kubernetes", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(KubernetesProperties.class)
class KubernetesConfiguration {

    @Bean(destroyMethod = "close")
    KubernetesClient kubernetesClient() {
        return new KubernetesClientBuilder().build();
    }

    @Bean
    KubernetesProvisioner kubernetesProvisioner(KubernetesClient kubernetesClient, KubernetesProperties properties,
            ObjectProvider<AcceleratorProviders> providers) {
        return new KubernetesProvisioner(kubernetesClient, properties, providers.getIfAvailable(AcceleratorProviders::load));
    }
}
