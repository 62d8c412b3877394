package io.maas.gateway.metering;

import io.maas.api.openai.Usage;
import java.sql.Timestamp;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Makes a request's usage durable. Idempotent by request id: writing the same request twice keeps
 * the first record. Called before the client is sent the end of the response, so a client that saw
 * a complete answer always has a record behind it.
 */
@Component
public class UsageRecorder {

    private final JdbcClient jdbc;

    UsageRecorder(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Returns false when a record for this request id already existed. */
    public boolean record(UsageRecord record) {
        Usage usage = record.usage();
        return jdbc.sql("""
                        INSERT INTO usage_record (request_id, tenant_id, api_key_id, model, endpoint, stream,
                            prompt_tokens, prompt_cache_hit_tokens, prompt_cache_miss_tokens, completion_tokens,
                            reasoning_tokens, started_at, completed_at, outcome)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (request_id) DO NOTHING""")
                .params(record.requestId(), record.tenantId(), record.apiKeyId(), record.model(),
                        record.endpoint().toString(), record.stream(),
                        usage.cacheHitTokens() + usage.cacheMissTokens(), usage.cacheHitTokens(), usage.cacheMissTokens(),
                        usage.completionTokens(), usage.reasoningTokens(),
                        Timestamp.from(record.startedAt()), Timestamp.from(record.completedAt()), record.outcome().name())
                .update() == 1;
    }
}
