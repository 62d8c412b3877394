package io.maas.tenant.system;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document at {@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "MaaS tenant service", version = "v1",
        description = "Tenants, people and roles, API keys, price books and quotes, balances, usage and statements."),
        security = @SecurityRequirement(name = "basic"))
@SecurityScheme(name = "basic", type = SecuritySchemeType.HTTP, scheme = "basic")
class OpenApiConfiguration {
}
