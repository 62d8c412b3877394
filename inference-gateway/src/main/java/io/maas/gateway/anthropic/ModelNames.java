package io.maas.gateway.anthropic;

import io.maas.gateway.GatewayProperties;
import io.maas.gateway.auth.CallerKey;
import io.maas.gateway.routing.ModelRoutes;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Maps the model name an Anthropic client sends to a served model ({@link AnthropicProperties}): the name itself when
 * the caller's key may use a model of that name, else the first alias that matches, else the name as it is (which the
 * router then answers with 404, as for any unknown model).
 */
@Component
class ModelNames {

    /** A compiled alias. */
    record Mapping(String pattern, Pattern regex, String model) {

        static Mapping of(AnthropicProperties.Alias alias) {
            String regex = Arrays.stream(alias.pattern().split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
            return new Mapping(alias.pattern(), Pattern.compile(regex), alias.model());
        }

        boolean matches(String name) {
            return regex.matcher(name).matches();
        }

        /** A pattern without {@code *} names one model: the models list shows it. */
        boolean literal() {
            return !pattern.contains("*");
        }
    }

    private final List<Mapping> mappings;
    private final ModelRoutes routes;

    ModelNames(AnthropicProperties properties, GatewayProperties gateway, ModelRoutes routes) {
        List<AnthropicProperties.Alias> aliases = properties.models().isEmpty()
                ? List.of(new AnthropicProperties.Alias("claude-*", gateway.models().getFirst().name()))
                : properties.models();
        this.mappings = aliases.stream().map(Mapping::of).toList();
        this.routes = routes;
    }

    /** The served model that answers {@code requested} for {@code caller}. */
    String served(String requested, CallerKey caller) {
        if (routes.all(caller).stream().anyMatch(route -> route.model().equals(requested))) {
            return requested;
        }
        return alias(requested).orElse(requested);
    }

    Optional<String> alias(String requested) {
        return mappings.stream().filter(mapping -> mapping.matches(requested)).map(Mapping::model).findFirst();
    }

    /** The aliases that name one model, with the model each maps to. */
    List<Mapping> literals() {
        return mappings.stream().filter(Mapping::literal).toList();
    }
}
