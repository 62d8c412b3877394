package io.maas.engine.runtime;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The engine's lifecycle, admission and health; the runtime's own configuration contributes the {@code engineFactory}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EngineProperties.class)
class EngineConfiguration {

    @Bean
    ManagedEngine managedEngine(EngineFactory engineFactory) {
        return new ManagedEngine(engineFactory);
    }

    @Bean
    RequestGate requestGate() {
        return new RequestGate();
    }

    @Bean
    DrainOnShutdown drainOnShutdown(RequestGate gate, EngineProperties properties) {
        return new DrainOnShutdown(gate, properties.drainGrace());
    }

    @Bean
    ModelHealthIndicator modelHealthIndicator(ManagedEngine engine, RequestGate gate) {
        return new ModelHealthIndicator(engine, gate);
    }
}
