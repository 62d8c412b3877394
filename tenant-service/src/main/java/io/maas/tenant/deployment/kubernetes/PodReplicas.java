package io.maas.tenant.deployment.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.maas.tenant.deployment.provision.ReplicaObservation;
import io.maas.tenant.deployment.provision.ReplicaObservation.Phase;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A deployment's pods as replicas: one pod each for a {@code Deployment}, one group (leader and workers) each for
 * a {@code LeaderWorkerSet}.
 *
 * <p>Rules for a pod, first match wins: terminating → DRAINING; pod phase Failed (evicted) or Succeeded (the engine
 * exited) → FAILED; a container waiting for a reason that needs a person ({@link #STUCK}: crash loop, image
 * errors, bad configuration) → FAILED with that reason and the last exit; Ready → READY; otherwise STARTING with
 * what it waits for (unschedulable, container creation, the model loading). A group takes the worst of its pods:
 * a failed worker fails the replica, and only a ready leader makes it READY.
 */
final class PodReplicas {

    /** Waiting reasons that do not resolve by waiting. */
    static final Set<String> STUCK = Set.of("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "ErrImageNeverPull",
            "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

    private PodReplicas() {
    }

    static List<ReplicaObservation> of(Collection<Pod> pods) {
        Map<String, List<Pod>> groups = pods.stream().collect(Collectors.groupingBy(PodReplicas::group, TreeMap::new, Collectors.toList()));
        return groups.values().stream()
                .map(PodReplicas::replica)
                .sorted(Comparator.comparing(ReplicaObservation::ordinal, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(ReplicaObservation::handle))
                .toList();
    }

    private static String group(Pod pod) {
        String index = labels(pod).get(EngineObjects.LWS_GROUP_INDEX);
        return index == null ? pod.getMetadata().getName() : "group " + index;
    }

    private static ReplicaObservation replica(List<Pod> group) {
        List<Pod> pods = group.stream().sorted(Comparator.comparing((Pod pod) -> !serving(pod))
                .thenComparing(pod -> pod.getMetadata().getName())).toList();
        Pod leader = pods.getFirst();
        State state = state(leader);
        for (Pod worker : pods.subList(1, pods.size())) {
            State workerState = state(worker);
            if (workerState.phase() == Phase.FAILED && state.phase() != Phase.FAILED
                    || workerState.phase() == Phase.DRAINING && state.phase() != Phase.FAILED && state.phase() != Phase.DRAINING) {
                state = new State(workerState.phase(), worker.getMetadata().getName() + ": " + workerState.message());
            }
        }
        if (!serving(leader) && state.phase() == Phase.READY) {
            state = new State(Phase.STARTING, "waiting for the leader pod");
        }
        String ip = leader.getStatus() == null ? null : leader.getStatus().getPodIP();
        String endpoint = serving(leader) && ip != null && !ip.isBlank() ? "http://" + ip + ":" + EngineObjects.ADAPTER_PORT : null;
        String index = labels(leader).get(EngineObjects.LWS_GROUP_INDEX);
        int restarts = pods.stream().flatMap(pod -> containers(pod).stream()).mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).sum();
        Instant startedAt = leader.getStatus() == null || leader.getStatus().getStartTime() == null ? null
                : Instant.parse(leader.getStatus().getStartTime());
        return new ReplicaObservation(leader.getMetadata().getName(), index == null ? null : Integer.valueOf(index), state.phase(),
                endpoint, startedAt, restarts, state.message());
    }

    private record State(Phase phase, String message) {
    }

    private static State state(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return new State(Phase.DRAINING, "terminating: finishing the requests it has");
        }
        if (pod.getStatus() == null) {
            return new State(Phase.STARTING, "created");
        }
        String podPhase = pod.getStatus().getPhase();
        if ("Failed".equals(podPhase)) {
            return new State(Phase.FAILED, join(pod.getStatus().getReason(), pod.getStatus().getMessage(), "pod failed"));
        }
        if ("Succeeded".equals(podPhase)) {
            return new State(Phase.FAILED, "the engine exited");
        }
        for (ContainerStatus container : containers(pod)) {
            ContainerStateWaiting waiting = container.getState() == null ? null : container.getState().getWaiting();
            if (waiting != null && STUCK.contains(waiting.getReason())) {
                ContainerStateTerminated last = container.getLastState() == null ? null : container.getLastState().getTerminated();
                String detail = last != null ? exit(last) : waiting.getMessage();
                return new State(Phase.FAILED, join(waiting.getReason(), detail, waiting.getReason()));
            }
        }
        Optional<PodCondition> unscheduled = condition(pod, "PodScheduled").filter(c -> "False".equals(c.getStatus()));
        if (unscheduled.isPresent()) {
            return new State(Phase.STARTING, join(unscheduled.get().getReason(), unscheduled.get().getMessage(), "not scheduled yet"));
        }
        if (condition(pod, "Ready").filter(c -> "True".equals(c.getStatus())).isPresent()) {
            return new State(Phase.READY, null);
        }
        for (ContainerStatus container : containers(pod)) {
            ContainerStateWaiting waiting = container.getState() == null ? null : container.getState().getWaiting();
            if (waiting != null) {
                return new State(Phase.STARTING, join(waiting.getReason(), waiting.getMessage(), "waiting"));
            }
            if (container.getState() != null && container.getState().getRunning() != null) {
                return new State(Phase.STARTING, "loading the model: /health not ready yet");
            }
        }
        return new State(Phase.STARTING, join(podPhase, null, "starting"));
    }

    /** {@code exit code 1 (Error): <the end of its log>}, as the kubelet reports the last run. */
    private static String exit(ContainerStateTerminated last) {
        String exit = "exit code " + last.getExitCode() + (last.getReason() == null ? "" : " (" + last.getReason() + ")");
        return last.getMessage() == null || last.getMessage().isBlank() ? exit : exit + ": " + last.getMessage().strip();
    }

    private static String join(String reason, String message, String fallback) {
        if (reason == null || reason.isBlank()) {
            return message == null || message.isBlank() ? fallback : message;
        }
        return message == null || message.isBlank() ? reason : reason + ": " + message;
    }

    private static Optional<PodCondition> condition(Pod pod, String type) {
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static List<ContainerStatus> containers(Pod pod) {
        return pod.getStatus() == null ? List.of() : pod.getStatus().getContainerStatuses();
    }

    private static boolean serving(Pod pod) {
        return EngineObjects.SERVING.equals(labels(pod).get(EngineObjects.COMPONENT_LABEL));
    }

    private static Map<String, String> labels(Pod pod) {
        return pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    }
}
