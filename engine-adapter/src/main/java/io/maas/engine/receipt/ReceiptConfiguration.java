package io.maas.engine.receipt;

import io.maas.engine.runtime.EngineProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ReceiptConfiguration {

    @Bean
    Receipts receipts(EngineProperties properties) {
        return new Receipts(properties.receipts().maxEntries(), properties.receipts().ttl(), Clock.systemUTC());
    }
}
