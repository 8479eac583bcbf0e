package org.aiflow.metadata;

import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.spi.storage.MetadataStore;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Registers the {@link MetadataRegistry} as the {@link MetadataService} while a {@link MetadataStore}
 * is there; when the store is replaced (backend switched) it is re-created on the new one.
 */
@Component(service = {})
public class MetadataComponent {
    @Reference
    private MetadataStore store;

    private ServiceRegistration<MetadataService> registration;

    @Activate
    void activate(BundleContext context) {
        registration = context.registerService(MetadataService.class, new MetadataRegistry(store), null);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
