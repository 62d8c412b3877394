package io.maas.engine.llamacpp;

import io.maas.engine.model.DemoModel;
import io.maas.engine.runtime.EngineFactory;
import io.maas.engine.runtime.EngineProperties;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code platform.engine.runtime=llamacpp} (the default): llama.cpp in-process, the demo model when no file is set. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "platform.engine", name = "runtime", havingValue = "llamacpp", matchIfMissing = true)
class LlamaCppConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LlamaCppConfiguration.class);

    @Bean
    EngineFactory llamaCppEngineFactory(EngineProperties properties) {
        return () -> new LlamaCppEngine(settings(properties));
    }

    static LlamaCppSettings settings(EngineProperties properties) {
        Path model;
        String name;
        boolean demo = properties.modelPath().isBlank();
        if (properties.modelPath().isBlank()) {
            Path directory = properties.cacheDir().isBlank()
                    ? Path.of(System.getProperty("user.home"), ".cache", "maas") : Path.of(properties.cacheDir());
            log.info("No platform.engine.model-path set: generating the demo model into {}", directory);
            model = DemoModel.ensure(directory);
            name = DemoModel.NAME;
        } else {
            model = Path.of(properties.modelPath());
            name = model.getFileName().toString().replaceFirst("(?i)\\.gguf$", "");
        }
        return new LlamaCppSettings(model, properties.servedModelName().isBlank() ? name : properties.servedModelName(),
                properties.contextSize(), properties.parallel(), properties.threads(), properties.defaultMaxTokens(),
                properties.nativeLog(), demo || properties.banByteTokens());
    }
}
