package io.maas.tenant.billing;

import java.sql.Date;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Keeps the usage ledger's monthly partitions three months ahead, at start-up and daily (the
 * gateway does the same; {@code ensure_ledger_partitions} is idempotent).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class LedgerPartitions {

    private final JdbcClient jdbc;
    private final Clock clock;

    LedgerPartitions(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Scheduled(cron = "0 23 3 * * *", zone = "UTC")
    void ensureAhead() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        jdbc.sql("SELECT ensure_ledger_partitions(?, ?)").params(Date.valueOf(today), Date.valueOf(today.plusMonths(3)))
                .query(Integer.class).single();
    }
}
