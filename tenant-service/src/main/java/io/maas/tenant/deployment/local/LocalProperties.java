package io.maas.tenant.deployment.local;

import io.maas.api.engine.EngineSecret;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code platform.deployments.local.*}: replicas as engine-adapter processes on this machine.
 *
 * @param enabled                whether the {@code local} target exists
 * @param engineJar              engine-adapter's runnable jar
 * @param stateDir               per deployment, each replica's log and its record for adoption after a restart; empty: {@code <java.io.tmpdir>/maas-deployments}
 * @param cacheDir               where engine-adapter writes the demo model (shared by every replica); empty: {@code stateDir/models}
 * @param java                   the java launcher; empty: the one running tenant-service
 * @param jvmOptions             options of each replica's JVM: a bounded heap, so that four replicas fit beside the platform in 4 GiB
 * @param keepRunningOnShutdown  false: replicas end with tenant-service (drained on a graceful stop, killed by the kernel when it
 *                               is killed), and a restarted tenant-service starts them again. true: they run on in their own
 *                               session, and a restarted tenant-service adopts them (to upgrade the control plane without
 *                               interrupting serving)
 * @param stopTimeout            after SIGTERM (the adapter drains its requests), how long a replica may take before SIGKILL
 * @param healthTimeout          for each replica's {@code /health}
 * @param engineSecret           what the gateways send engine adapters ({@code PLATFORM_GATEWAY_ENGINE_SECRET}); every
 *                               replica is started with it, so that it admits the gateways and nobody else
 */
@ConfigurationProperties("platform.deployments.local")
public record LocalProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("engine-adapter/target/engine-adapter-0.1.0-SNAPSHOT-exec.jar") String engineJar,
        @DefaultValue("") String stateDir,
        @DefaultValue("") String cacheDir,
        @DefaultValue("") String java,
        @DefaultValue({"-XX:+UseSerialGC", "-Xmx160m", "-Xss512k", "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=48m",
                "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError"}) List<String> jvmOptions,
        @DefaultValue("false") boolean keepRunningOnShutdown,
        @DefaultValue("30s") Duration stopTimeout,
        @DefaultValue("1s") Duration healthTimeout,
        EngineSecret engineSecret) {

    public LocalProperties {
        engineSecret = engineSecret == null ? EngineSecret.NONE : engineSecret;
    }
}
