package io.maas.tenant.deployment;

import io.maas.tenant.deployment.provision.Provisioner;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The configured deployment targets: every {@link Provisioner} bean, by {@link Provisioner#target()}. */
@Component
public class Provisioners {

    private final Map<String, Provisioner> byTarget;

    public Provisioners(List<Provisioner> provisioners) {
        this.byTarget = provisioners.stream().collect(Collectors.toUnmodifiableMap(Provisioner::target, Function.identity()));
    }

    public Optional<Provisioner> find(String target) {
        return Optional.ofNullable(byTarget.get(target));
    }

    public List<String> targets() {
        return byTarget.keySet().stream().sorted().toList();
    }
}
