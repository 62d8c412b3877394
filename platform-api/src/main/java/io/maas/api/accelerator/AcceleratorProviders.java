package io.maas.api.accelerator;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The providers on the class path, found with {@link ServiceLoader}, ordered by id. */
public final class AcceleratorProviders {

    private final List<AcceleratorProvider> providers;

    private AcceleratorProviders(List<AcceleratorProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    /**
     * Loads every provider visible to {@code classLoader}.
     *
     * @throws IllegalStateException when two providers claim the same id
     */
    public static AcceleratorProviders load(ClassLoader classLoader) {
        List<AcceleratorProvider> found = ServiceLoader.load(AcceleratorProvider.class, classLoader).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(AcceleratorProvider::id))
                .toList();
        for (int i = 1; i < found.size(); i++) {
            if (found.get(i).id().equals(found.get(i - 1).id())) {
                throw new IllegalStateException("two accelerator providers claim the id \"" + found.get(i).id() + "\": "
                        + found.get(i - 1).getClass().getName() + " and " + found.get(i).getClass().getName()
                        + "; remove one of them from the class path");
            }
        }
        return new AcceleratorProviders(found);
    }

    /** Loads the providers visible to this class's class loader. */
    public static AcceleratorProviders load() {
        return load(AcceleratorProviders.class.getClassLoader());
    }

    public List<AcceleratorProvider> all() {
        return providers;
    }

    public Optional<AcceleratorProvider> get(String id) {
        return providers.stream().filter(provider -> provider.id().equals(id)).findFirst();
    }

    /** The provider with {@code id}, or an exception naming the ones there are. */
    public AcceleratorProvider require(String id) {
        return get(id).orElseThrow(() -> new IllegalArgumentException("no accelerator provider \"" + id + "\"; there are "
                + providers.stream().map(AcceleratorProvider::id).collect(Collectors.joining(", "))));
    }
}
