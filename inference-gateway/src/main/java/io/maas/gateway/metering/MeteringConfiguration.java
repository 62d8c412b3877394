package io.maas.gateway.metering;

import io.maas.gateway.GatewayProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class MeteringConfiguration {

    @Bean
    UsageSpool usageSpool(GatewayProperties properties) {
        return new UsageSpool(properties.usageSpoolDir(), properties.usageSpoolMaxSize().toBytes());
    }
}
