package io.maas.gateway.admission;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * {@link AdmissionStore} in Redis, shared by every gateway replica: the rules of the interface, each
 * step one Lua script ({@code acquire.lua}, {@code settle.lua}, {@code renew.lua} next to this class), which Redis runs
 * atomically, so checking every limit of every scope and reserving in all of them is one indivisible
 * step across replicas (no read-then-write). Keys, under {@code maas:adm:}: per scope and minute a
 * requests and a tokens counter for the limits set (expiring after two minutes), per scope a sorted set of in-flight
 * request ids scored by lease expiry (expired ones, a dead gateway's, are dropped when the set reaches the limit,
 * before a request is refused), per request a reservation hash expiring with its lease. One Redis instance (or a
 * primary): the settle script touches the keys its reservation names.
 *
 * <p><b>Unreachable Redis.</b> Commands are refused at once while disconnected and time out after
 * {@code platform.gateway.admission.redis.timeout}; both raise {@link StoreUnavailableException} (the
 * {@link Admitter} then fails closed, or open if configured). The connection is made on first use and
 * re-made automatically, and the scripts are sent again when a restarted Redis no longer knows them.
 *
 * <p><b>Redis losing its data</b> (restart without persistence, failover) loses the current minute's
 * counts and the in-flight concurrency slots only: counting starts again from zero for the current
 * window. Money and token budgets are not here but in PostgreSQL ({@link DurableReservations}), so no
 * money is lost or charged twice.
 */
@Component
@ConditionalOnProperty(name = "platform.gateway.admission.store", havingValue = "redis")
class RedisAdmissionStore implements AdmissionStore, AutoCloseable {

    private static final String PREFIX = "maas:adm:";
    private static final long WINDOW_TTL_MILLIS = 2 * MemoryAdmissionStore.WINDOW_MILLIS;
    /** A restarted Redis is found again within this time. */
    private static final Duration RECONNECT_AT_LEAST_EVERY = Duration.ofSeconds(1);
    private static final int RENEW_BATCH = 500;

    private record Script(String source, String sha) {
    }

    private final ClientResources resources;
    private final RedisClient client;
    private final String where;
    private final Script acquire;
    private final Script settle;
    private final Script renew;
    private volatile StatefulRedisConnection<String, String> connection;

    RedisAdmissionStore(AdmissionProperties properties) {
        RedisURI uri = RedisURI.create(properties.redis().uri());
        uri.setTimeout(properties.redis().timeout());
        this.where = uri.getHost() + ":" + uri.getPort();
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), RECONNECT_AT_LEAST_EVERY, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(properties.redis().timeout()))
                .build());
        this.acquire = script("acquire.lua");
        this.settle = script("settle.lua");
        this.renew = script("renew.lua");
    }

    @Override
    public Decision acquire(Ask ask) {
        int n = ask.scopes().size();
        long window = ask.nowMillis() / MemoryAdmissionStore.WINDOW_MILLIS;
        String[] keys = new String[3 * n + 1];
        List<String> args = new ArrayList<>(List.of(Integer.toString(n), Long.toString(ask.nowMillis()), Long.toString(ask.leaseMillis()),
                Long.toString(ask.tokens()), ask.requestId(), Long.toString(WINDOW_TTL_MILLIS)));
        for (int i = 0; i < n; i++) {
            ScopeLimits limits = ask.scopes().get(i);
            keys[3 * i] = PREFIX + limits.scope() + ":r:" + window;
            keys[3 * i + 1] = PREFIX + limits.scope() + ":t:" + window;
            keys[3 * i + 2] = PREFIX + limits.scope() + ":c";
            args.add(limit(limits.requestsPerMinute()));
            args.add(limit(limits.tokensPerMinute()));
            args.add(limit(limits.maxConcurrent()));
        }
        keys[3 * n] = held(ask.requestId());
        List<Object> answer = run(acquire, ScriptOutputType.MULTI, keys, args.toArray(String[]::new));
        long[] requests = longs(answer.get(4));
        long[] tokens = longs(answer.get(5));
        if ((Long) answer.get(0) == 1L) {
            return Decision.admitted(requests, tokens);
        }
        Limit limit = Limit.values()[(int) (long) (Long) answer.get(2) - 1];
        return Decision.refused(requests, tokens, (int) (long) (Long) answer.get(1), limit, (Long) answer.get(3));
    }

    @Override
    public Decision peek(List<String> scopes, long nowMillis) {
        long window = nowMillis / MemoryAdmissionStore.WINDOW_MILLIS;
        String[] keys = new String[2 * scopes.size()];
        for (int i = 0; i < scopes.size(); i++) {
            keys[2 * i] = PREFIX + scopes.get(i) + ":r:" + window;
            keys[2 * i + 1] = PREFIX + scopes.get(i) + ":t:" + window;
        }
        List<KeyValue<String, String>> values;
        try {
            values = connection().sync().mget(keys);
        } catch (RedisException e) {
            throw new StoreUnavailableException("Redis at " + where + " did not answer: " + e.getMessage(), e);
        }
        long[] requestsUsed = new long[scopes.size()];
        long[] tokensUsed = new long[scopes.size()];
        for (int i = 0; i < scopes.size(); i++) {
            requestsUsed[i] = Long.parseLong(values.get(2 * i).getValueOrElse("0"));
            tokensUsed[i] = Long.parseLong(values.get(2 * i + 1).getValueOrElse("0"));
        }
        return Decision.admitted(requestsUsed, tokensUsed);
    }

    @Override
    public void settle(String requestId, long tokens, boolean countRequest) {
        run(settle, ScriptOutputType.MULTI, new String[] {held(requestId)},
                new String[] {Long.toString(tokens), countRequest ? "1" : "0", requestId});
    }

    /** One script call per {@value #RENEW_BATCH} requests. */
    @Override
    public void renew(List<String> requestIds, long nowMillis, long leaseMillis) {
        for (int from = 0; from < requestIds.size(); from += RENEW_BATCH) {
            List<String> batch = requestIds.subList(from, Math.min(requestIds.size(), from + RENEW_BATCH));
            List<String> args = new ArrayList<>(List.of(Long.toString(nowMillis), Long.toString(leaseMillis)));
            args.addAll(batch);
            run(renew, ScriptOutputType.INTEGER, batch.stream().map(RedisAdmissionStore::held).toArray(String[]::new),
                    args.toArray(String[]::new));
        }
    }

    @Override
    public void close() {
        client.shutdown();
        resources.shutdown();
    }

    private <T> T run(Script script, ScriptOutputType output, String[] keys, String[] args) {
        try {
            RedisCommands<String, String> commands = connection().sync();
            try {
                return commands.evalsha(script.sha(), output, keys, args);
            } catch (RedisNoScriptException e) {
                return commands.eval(script.source(), output, keys, args);
            }
        } catch (RedisException e) {
            throw new StoreUnavailableException("Redis at " + where + " did not answer: " + e.getMessage(), e);
        }
    }

    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> current = connection;
        if (current == null) {
            synchronized (this) {
                if (connection == null) {
                    connection = client.connect();
                }
                current = connection;
            }
        }
        return current;
    }

    private static String held(String requestId) {
        return PREFIX + "req:" + requestId;
    }

    private static String limit(Long value) {
        return value == null ? "-1" : value.toString();
    }

    private static long[] longs(Object list) {
        return ((List<?>) list).stream().mapToLong(v -> (Long) v).toArray();
    }

    private static Script script(String name) {
        try (InputStream in = RedisAdmissionStore.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " next to " + RedisAdmissionStore.class.getName());
            }
            String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Script(source, sha1(source));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
