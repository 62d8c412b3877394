package io.maas.gateway.anthropic;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code platform.gateway.anthropic.*}: the model names Anthropic clients send, mapped to the models this platform
 * serves, as DeepSeek maps {@code claude-*} to its own. Claude Code and the Anthropic SDKs send names such as
 * {@code claude-sonnet-4-5}; the first alias whose pattern matches decides. A name the caller's key may use as it is
 * (a served model) is never mapped. With no aliases configured, every {@code claude-*} name is the platform's first
 * configured model ({@code platform.gateway.models[0]}).
 *
 * <pre>
 * platform.gateway.anthropic.models[0].pattern=claude-*haiku*
 * platform.gateway.anthropic.models[0].model=deepseek-v3-lite
 * platform.gateway.anthropic.models[1].pattern=claude-*
 * platform.gateway.anthropic.models[1].model=deepseek-v3
 * </pre>
 *
 * @param models the aliases, in the order they are tried
 */
@Validated
@ConfigurationProperties("platform.gateway.anthropic")
record AnthropicProperties(@DefaultValue List<@Valid Alias> models) {

    AnthropicProperties {
        models = List.copyOf(models);
    }

    /**
     * @param pattern a model name, where {@code *} stands for any run of characters
     * @param model   the served model name it is answered by
     */
    record Alias(@NotBlank String pattern, @NotBlank String model) {
    }
}
