package org.aiflow.metrics.internal;

import java.lang.management.ManagementFactory;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The JDBC connection pools, read from the MBeans HikariCP registers when {@code registerMbeans}
 * is set (the embedded H2 pool sets it; the MariaDB and PostgreSQL data sources take
 * {@code hikari.registerMbeans = true} in their cfg). Through JMX, so this bundle needs no
 * HikariCP import and follows whichever pools exist at scrape time.
 */
final class PoolMetrics {
    static final String PATTERN = "com.zaxxer.hikari:type=Pool (*";
    private static final String[] STATES = {"active", "idle"};

    private PoolMetrics() {
    }

    static void register(PrometheusRegistry registry) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        GaugeWithCallback.builder().name("aiflow_db_pool_connections")
                .help("Connections of a JDBC pool, by state (active: lent out, idle: ready)").labelNames("pool", "state")
                .callback(cb -> each(server, (pool, name) -> {
                    cb.call(number(server, name, "ActiveConnections"), pool, STATES[0]);
                    cb.call(number(server, name, "IdleConnections"), pool, STATES[1]);
                })).register(registry);
        GaugeWithCallback.builder().name("aiflow_db_pool_pending_threads")
                .help("Threads waiting for a connection of a JDBC pool").labelNames("pool")
                .callback(cb -> each(server, (pool, name) -> cb.call(number(server, name, "ThreadsAwaitingConnection"), pool)))
                .register(registry);
        GaugeWithCallback.builder().name("aiflow_db_pool_max_connections")
                .help("Largest size of a JDBC pool").labelNames("pool")
                .callback(cb -> each(server, (pool, name) -> cb.call(config(server, pool, "MaximumPoolSize"), pool)))
                .register(registry);
    }

    interface PoolVisitor {
        void visit(String pool, ObjectName name);
    }

    static void each(MBeanServer server, PoolVisitor visitor) {
        Set<ObjectName> names;
        try {
            names = server.queryNames(new ObjectName(PATTERN), null);
        } catch (Exception e) {
            return;
        }
        for (ObjectName name : names) {
            String p = name.getKeyProperty("type");
            // "Pool (aiflow-h2)" -> "aiflow-h2"
            String pool = p.substring(p.indexOf('(') + 1, p.endsWith(")") ? p.length() - 1 : p.length());
            visitor.visit(pool, name);
        }
    }

    private static double config(MBeanServer server, String pool, String attribute) {
        try {
            return number(server, new ObjectName("com.zaxxer.hikari:type=PoolConfig (" + pool + ")"), attribute);
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private static double number(MBeanServer server, ObjectName name, String attribute) {
        try {
            Object v = server.getAttribute(name, attribute);
            return v instanceof Number n ? n.doubleValue() : Double.NaN;
        } catch (Exception e) {
            // the pool closed between the query and the read
            return Double.NaN;
        }
    }
}
