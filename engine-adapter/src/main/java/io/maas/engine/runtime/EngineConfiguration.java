package io.maas.engine.runtime;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The engine's lifecycle and health; the runtime's own configuration contributes the {@code engineFactory}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EngineProperties.class)
class EngineConfiguration {

    @Bean
    ManagedEngine managedEngine(EngineFactory engineFactory) {
        return new ManagedEngine(engineFactory);
    }

    @Bean
    ModelHealthIndicator modelHealthIndicator(ManagedEngine engine) {
        return new ModelHealthIndicator(engine);
    }
}
