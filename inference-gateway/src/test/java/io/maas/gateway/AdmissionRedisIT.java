package io.maas.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link AdmissionSuite} on two gateway replicas sharing counters in a Redis of this test's own
 * ({@link RedisServer}); and Redis stopping mid-run: fail-closed answers that reach no engine, then
 * recovery, with counters that start exact again.
 */
class AdmissionRedisIT extends AdmissionSuite {

    final RedisServer redis = new RedisServer();

    @Override
    int replicas() {
        return 2;
    }

    @Override
    List<String> admissionProperties() {
        return List.of("platform.gateway.admission.store=redis", "platform.gateway.admission.redis.uri=" + redis.uri());
    }

    @AfterAll
    void stopRedis() {
        redis.close();
    }

    @Test
    void redisStoppedMidRunFailsClosedThenRecoversWithExactCounters() throws Exception {
        Caller caller = caller("POSTPAID", null);
        limit(caller, true, "requests_per_minute", 1_000);
        assertEveryReplica(caller.secret(), 200);

        redis.stop();
        List<HttpResponse<String>> closed = new ArrayList<>();
        try {
            for (int port : ports) {
                closed.add(send(port, request(port, caller.secret(), "ok", false, 5)));
            }
        } finally {
            redis.start();
        }

        assertThat(closed).allMatch(a -> a.statusCode() == 503, "503 while Redis is down");
        assertThat(closed).allMatch(a -> a.body().contains("\"code\":\"limits_unavailable\"") && a.headers().firstValue("retry-after").isPresent());
        assertThat(engine.seen).as("nothing reached an engine while Redis was down").doesNotContainAnyElementsOf(ids(closed, 503));
        Instant restarted = Instant.now();
        assertThat(everyReplicaAnswersWithin(caller.secret(), 200, restarted)).as("every replica admits again within 5 s").isTrue();

        Caller fresh = caller("POSTPAID", null);
        limit(fresh, true, "requests_per_minute", 3);
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(chat(fresh.secret(), "ok", false, 5));
        }
        if (answers.get(3).statusCode() == 200) {
            return; // straddled a minute boundary: two windows, each within its limit
        }
        assertThat(answers.subList(0, 3)).allMatch(a -> a.statusCode() == 200);
        assertThat(answers.get(3).statusCode()).as("the fourth of three per minute, across both replicas").isEqualTo(429);
    }
}
