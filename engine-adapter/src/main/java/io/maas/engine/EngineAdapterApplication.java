package io.maas.engine;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class EngineAdapterApplication {

    public static void main(String[] args) {
        SpringApplication.run(EngineAdapterApplication.class, args);
    }
}
