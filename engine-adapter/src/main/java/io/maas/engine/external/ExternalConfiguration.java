package io.maas.engine.external;

import io.maas.api.accelerator.AcceleratorProviders;
import io.maas.engine.runtime.EngineFactory;
import io.maas.engine.runtime.EngineProperties;
import io.maas.engine.runtime.ModelInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Instant;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code platform.engine.runtime=external}: a supervised engine process. The adapter is ready at once;
 * {@code /health} stays DOWN ({@code engineProcess}) and requests get 503 until the process is.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "platform.engine", name = "runtime", havingValue = "external")
@EnableConfigurationProperties(ExternalProperties.class)
class ExternalConfiguration {

    @Bean
    HttpClient externalEngineHttpClient(ExternalProperties properties) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout()).build();
    }

    @Bean
    ProcessSupervisor processSupervisor(ExternalProperties properties, EngineProperties engine, HttpClient externalEngineHttpClient) {
        if (engine.servedModelName().isBlank()) {
            throw new IllegalArgumentException("platform.engine.runtime=external needs platform.engine.served-model-name: "
                    + "the model name the engine serves and clients send");
        }
        ChildCommand command = ChildCommand.of(properties, engine.servedModelName(), AcceleratorProviders.load());
        return new ProcessSupervisor(command, properties, new EngineOutput(logFile(properties.log())),
                externalEngineHttpClient);
    }

    private static RollingLogFile logFile(ExternalProperties.Log log) {
        if (log.file().isBlank()) {
            return null;
        }
        try {
            return new RollingLogFile(Path.of(log.file()), log.maxSize().toBytes(), log.maxFiles());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the engine log file " + log.file() + ": " + e.getMessage(), e);
        }
    }

    @Bean
    ProcessHealthIndicator engineProcessHealthIndicator(ProcessSupervisor supervisor) {
        return new ProcessHealthIndicator(supervisor);
    }

    @Bean
    EngineFactory externalEngineFactory(ExternalProperties properties, EngineProperties engine,
            ProcessSupervisor supervisor, HttpClient externalEngineHttpClient, JsonMapper json) {
        int maxModelLen = properties.launch().maxModelLen();
        ModelInfo info = new ModelInfo(engine.servedModelName(), "external", maxModelLen, maxModelLen, 0, Instant.now());
        return () -> new ExternalEngine(info, supervisor, externalEngineHttpClient, json, properties,
                engine.defaultMaxTokens());
    }
}
