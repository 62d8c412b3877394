package io.maas.gateway.files;

import java.io.IOException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class FilesConfiguration {

    /** The disk store, unless another {@link FileStore} bean (an object store) is defined. */
    @Bean
    @ConditionalOnMissingBean(FileStore.class)
    FileStore diskFileStore(FilesProperties properties) throws IOException {
        return new DiskFileStore(properties.dir());
    }
}
