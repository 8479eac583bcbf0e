package org.aiflow.metadata;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

/**
 * A DataSource that, when armed, fails the Nth database call of a transaction (a statement
 * execution or the commit) as a crash at that point would: the transaction never commits.
 */
final class FailingDataSource {
    private final DataSource delegate;
    private final AtomicInteger countdown = new AtomicInteger(-1);
    private final AtomicInteger calls = new AtomicInteger();

    FailingDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** Fails the {@code n}-th call from now (1 = the next one); 0 disarms. */
    void failAt(int n) {
        countdown.set(n <= 0 ? -1 : n);
        calls.set(0);
    }

    /** How many calls were made since the last {@link #failAt}. */
    int calls() {
        return calls.get();
    }

    DataSource dataSource() {
        return proxy(DataSource.class, delegate);
    }

    private <T> T proxy(Class<T> type, Object target) {
        return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            if (isCall(method)) {
                calls.incrementAndGet();
                if (countdown.get() > 0 && countdown.decrementAndGet() == 0) {
                    throw new SQLException("injected failure at " + method.getName());
                }
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            Class<?> returned = method.getReturnType();
            if (returned == Connection.class || (returned.isInterface() && Statement.class.isAssignableFrom(returned))) {
                return proxy(returned, result);
            }
            return result;
        }));
    }

    private static boolean isCall(Method m) {
        return m.getName().startsWith("execute") || m.getName().equals("commit");
    }
}
