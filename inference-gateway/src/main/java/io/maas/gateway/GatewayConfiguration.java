package io.maas.gateway;

import io.maas.gateway.auth.CallerKeyResolver;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class GatewayConfiguration implements WebMvcConfigurer {

    private final CallerKeyResolver callerKeyResolver;

    GatewayConfiguration(CallerKeyResolver callerKeyResolver) {
        this.callerKeyResolver = callerKeyResolver;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(callerKeyResolver);
    }
}
