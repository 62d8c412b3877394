package io.maas.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class RoutingPropertiesTests {

    @Test
    void theDefaultsArePrefixAffinityWithDocumentedWeights() {
        RoutingProperties properties = bind(Map.of());

        assertThat(properties.strategyOf("any")).isEqualTo(RoutingProperties.Strategy.PREFIX_AFFINITY);
        assertThat(properties.prefix()).isEqualTo(new RoutingProperties.Prefix(1.0, 0.5, 0.2, 8, 1.5, 4096));
    }

    @Test
    void aStrategyPerModelOverridesTheDefault() {
        RoutingProperties properties = bind(Map.of("platform.gateway.routing.strategies.chat", "least-load"));

        assertThat(properties.strategyOf("chat")).isEqualTo(RoutingProperties.Strategy.LEAST_LOAD);
    }

    @Test
    void anUnknownStrategyOrABadWeightStopsStartUpNamingTheKey() {
        assertThatThrownBy(() -> bind(Map.of("platform.gateway.routing.strategy", "fastest")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("platform.gateway.routing.strategy").hasMessageContaining("fastest");
        assertThatThrownBy(() -> bind(Map.of("platform.gateway.routing.strategies.chat", "random")))
                .rootCause().hasMessageContaining("platform.gateway.routing.strategies.chat");
        assertThatThrownBy(() -> bind(Map.of("platform.gateway.routing.prefix.load-weight", "-1")))
                .rootCause().hasMessageContaining("platform.gateway.routing.prefix.load-weight");
        assertThatThrownBy(() -> bind(Map.of("platform.gateway.routing.prefix.balance-rel-threshold", "0.5")))
                .rootCause().hasMessageContaining("platform.gateway.routing.prefix.balance-rel-threshold");
    }

    private static RoutingProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("platform.gateway.routing", RoutingProperties.class);
    }
}
