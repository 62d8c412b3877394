package io.maas.engine.simulated;

import io.maas.engine.runtime.EngineFactory;
import io.maas.engine.runtime.EngineProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code platform.engine.runtime=simulated}: set speeds and output lengths, no model, for load tests and CI. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "platform.engine", name = "runtime", havingValue = "simulated")
@EnableConfigurationProperties(SimulatedProperties.class)
class SimulatedConfiguration {

    static final String DEFAULT_NAME = "simulated";

    @Bean
    EngineFactory simulatedEngineFactory(EngineProperties engine, SimulatedProperties simulated) {
        String name = engine.servedModelName().isBlank() ? DEFAULT_NAME : engine.servedModelName();
        return () -> new SimulatedEngine(simulated, name, engine.defaultMaxTokens());
    }
}
