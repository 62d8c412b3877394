package io.maas.gateway.metering;

import java.sql.Date;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Keeps the usage ledger's monthly partitions ahead of time: at start-up and every day, the
 * partitions of this month and the next {@value #MONTHS_AHEAD} exist (SQL function
 * {@code ensure_ledger_partitions}, idempotent, so every replica may call it). The gateway is the
 * ledger's only writer, so it is the one that keeps the partitions coming.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class LedgerPartitions {

    static final int MONTHS_AHEAD = 3;
    private static final Logger log = LoggerFactory.getLogger(LedgerPartitions.class);

    private final JdbcClient jdbc;
    private final Clock clock;

    LedgerPartitions(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Scheduled(cron = "0 17 3 * * *", zone = "UTC")
    void ensureAhead() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Integer created = jdbc.sql("SELECT ensure_ledger_partitions(?, ?)")
                .params(Date.valueOf(today), Date.valueOf(today.plusMonths(MONTHS_AHEAD)))
                .query(Integer.class).single();
        if (created > 0) {
            log.info("Created {} monthly partitions of the usage ledger", created);
        }
    }
}
