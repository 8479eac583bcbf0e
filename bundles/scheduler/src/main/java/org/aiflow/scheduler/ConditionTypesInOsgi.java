package org.aiflow.scheduler;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.aiflow.api.spi.condition.ConditionType;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The condition types registered in the framework, for the built-in composite conditions' children.
 *
 * <p>It binds service references only and gets a type's service the first time a child of that
 * type is looked up: the composites are condition types themselves (also each other's children),
 * so binding the services would activate them while they wait for this component, a cycle
 * Declarative Services can only break by logging errors and binding late.
 */
@Component(service = ConditionTypes.class)
public class ConditionTypesInOsgi implements ConditionTypes {
    /** A bound type; its service is got on first use and given back when it is unbound. */
    private static final class Bound {
        final ServiceReference<ConditionType> reference;
        private ConditionType service;

        Bound(ServiceReference<ConditionType> reference) {
            this.reference = reference;
        }

        synchronized ConditionType service(BundleContext context) {
            if (service == null && context != null) {
                service = context.getService(reference); // null if it is being unregistered
            }
            return service;
        }

        synchronized void release(BundleContext context) {
            if (service != null && context != null) {
                context.ungetService(reference);
            }
            service = null;
        }
    }

    private final PluginRegistry<Bound> types = new PluginRegistry<>(ConditionType.TYPE_PROPERTY);
    private final Map<ServiceReference<ConditionType>, Bound> bound = new HashMap<>();
    private volatile BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Deactivate
    void deactivate() {
        synchronized (bound) {
            bound.values().forEach(b -> b.release(context));
        }
        context = null;
    }

    @Reference(service = ConditionType.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindType(ServiceReference<ConditionType> reference) {
        Bound b = new Bound(reference);
        synchronized (bound) {
            bound.put(reference, b);
        }
        types.add(b, properties(reference));
    }

    void unbindType(ServiceReference<ConditionType> reference) {
        Bound b;
        synchronized (bound) {
            b = bound.remove(reference);
        }
        if (b != null) {
            types.remove(b);
            b.release(context);
        }
    }

    @Override
    public Optional<ConditionType> get(String name) {
        return types.get(name).map(b -> b.service(context));
    }

    @Override
    public List<String> names() {
        return types.names();
    }

    private static Map<String, Object> properties(ServiceReference<?> reference) {
        Map<String, Object> properties = new HashMap<>();
        for (String key : reference.getPropertyKeys()) {
            properties.put(key, reference.getProperty(key));
        }
        return properties;
    }
}
