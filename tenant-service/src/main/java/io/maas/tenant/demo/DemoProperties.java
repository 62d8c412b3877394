package io.maas.tenant.demo;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code platform.tenant.demo.*}: the embedded platform's demo tenant, seeded at start-up when
 * {@code apiKey} is set ({@code ./platform up} sets it through {@code PLATFORM_TENANT_DEMO_API_KEY}).
 *
 * @param apiKey the demo key's secret ({@code sk-…}); unset: no demo
 * @param tenant the demo tenant's name
 * @param models the model names the demo price book prices, when it is created
 */
@Validated
@ConfigurationProperties("platform.tenant.demo")
record DemoProperties(String apiKey, @DefaultValue("demo") @NotBlank String tenant,
                      @DefaultValue("demo-moe") @NotEmpty List<@NotBlank String> models) {
}
