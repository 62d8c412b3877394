package io.maas.engine.status;

import io.maas.engine.runtime.EngineProperties;
import io.maas.engine.runtime.ManagedEngine;
import io.maas.engine.runtime.RequestGate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StatusConfiguration {

    @Bean
    EngineStats engineStats() {
        return new EngineStats();
    }

    @Bean
    EngineStatusReport engineStatusReport(ManagedEngine engines, RequestGate gate, EngineStats stats,
            EngineProperties properties) {
        return new EngineStatusReport(engines, gate, stats, properties.runtime());
    }
}
