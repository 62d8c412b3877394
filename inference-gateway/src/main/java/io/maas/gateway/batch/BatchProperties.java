package io.maas.gateway.batch;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code platform.gateway.batch.*}: how the gateway runs batches ({@code /v1/batches}).
 *
 * @param maxLines        a batch's input file may have at most this many requests (OpenAI's limit is 50,000)
 * @param pollInterval    how often each replica looks for batch lines to run, cancellations and expiries
 * @param concurrency     lines this replica runs at once, over all batches
 * @param maxEndpointLoad a line is sent only while an endpoint of its model has fewer requests than this (the
 *                        gateway's in flight there, or the engine's running + waiting) and none waits in the model's
 *                        queue: batches use engines' spare room, never online requests' ({@code Router#idle})
 */
@Validated
@ConfigurationProperties("platform.gateway.batch")
public record BatchProperties(
        @DefaultValue("50000") @Min(1) int maxLines,
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("2") @Min(1) int concurrency,
        @DefaultValue("2") @Min(1) int maxEndpointLoad) {
}
