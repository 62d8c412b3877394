package io.maas.gateway;

import java.util.List;

/** {@link AdmissionSuite} on one gateway with the in-process counter store (the default). */
class AdmissionMemoryIT extends AdmissionSuite {

    @Override
    int replicas() {
        return 1;
    }

    @Override
    List<String> admissionProperties() {
        return List.of("platform.gateway.admission.store=memory");
    }
}
