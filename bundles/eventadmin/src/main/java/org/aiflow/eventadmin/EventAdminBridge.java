package org.aiflow.eventadmin;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.aiflow.api.error.AiflowException;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.NotificationService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges the platform's event log and OSGi EventAdmin, both ways, as configured (PID
 * {@value #PID}; without a configuration the component does not start). Outbound: platform events
 * from now on whose namespace, or namespace/key, matches a pattern are posted (asynchronously) to
 * {@code <outboundTopicPrefix>/<namespace>/<key>}. Inbound: EventAdmin events on the configured
 * topics are published into the event log in {@code inboundNamespace}. See {@link Bridge} for the
 * mapping; events that crossed once never cross back.
 */
@Component(configurationPid = EventAdminBridge.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = EventAdminBridge.Config.class)
public class EventAdminBridge {
    static final String PID = "org.aiflow.eventadmin";
    private static final Logger LOG = LoggerFactory.getLogger(EventAdminBridge.class);

    @ObjectClassDefinition(name = "AI Flow EventAdmin bridge")
    public @interface Config {
        @AttributeDefinition(required = false, description = "Platform events re-posted to EventAdmin: '<namespace>' or "
                + "'<namespace>/<key>' patterns, '*' matching any characters (e.g. 'default', 'ml/model-*'); empty: none")
        String[] outbound() default {};

        @AttributeDefinition(description = "Topic prefix of re-posted events: the topic is <prefix>/<namespace>/<key>")
        String outboundTopicPrefix() default "org/aiflow/event";

        @AttributeDefinition(required = false, description = "EventAdmin topics published into the event log "
                + "(EventAdmin's syntax: 'com/acme/sensor/ALERT', 'com/acme/*'); empty: none")
        String[] inbound() default {};

        @AttributeDefinition(description = "Namespace of the events published from EventAdmin")
        String inboundNamespace() default "osgi";

        @AttributeDefinition(description = "Sender of the events published from EventAdmin (events of this sender are never re-posted)")
        String sender() default "eventadmin-bridge";
    }

    private final NotificationService notifications;
    private final EventAdmin eventAdmin;
    private final Bridge bridge;
    private NotificationService.Subscription subscription;
    private ServiceRegistration<EventHandler> handler;

    @Activate
    public EventAdminBridge(@Reference NotificationService notifications, @Reference EventAdmin eventAdmin,
                            BundleContext context, Config config) {
        this.notifications = notifications;
        this.eventAdmin = eventAdmin;
        this.bridge = new Bridge(Arrays.asList(config.outbound()), config.outboundTopicPrefix(), config.inboundNamespace(), config.sender());
        if (bridge.hasOutbound()) {
            subscription = notifications.subscribe(notifications.latestVersion(), new Outbound());
        }
        List<String> topics = Arrays.stream(config.inbound()).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (!topics.isEmpty()) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(EventConstants.EVENT_TOPIC, topics.toArray(new String[0]));
            handler = context.registerService(EventHandler.class, this::inbound, props);
        }
        LOG.info("EventAdmin bridge: out {} to {}/..., in {} to namespace {}", Arrays.toString(config.outbound()),
                config.outboundTopicPrefix(), topics, config.inboundNamespace());
    }

    @Deactivate
    void deactivate() {
        if (handler != null) {
            handler.unregister();
        }
        if (subscription != null) {
            subscription.close();
        }
    }

    /** Platform events in version order from the subscription's thread; at-least-once, so deduped by version. */
    private final class Outbound implements org.aiflow.api.event.EventListener {
        private long last;

        @Override
        public void onEvent(org.aiflow.api.event.Event event) {
            if (event.version() <= last) {
                return;
            }
            last = event.version();
            if (bridge.goesOut(event)) {
                eventAdmin.postEvent(new Event(bridge.topic(event), bridge.properties(event)));
            }
        }
    }

    void inbound(Event event) {
        Map<String, Object> properties = new HashMap<>();
        for (String name : event.getPropertyNames()) {
            properties.put(name, event.getProperty(name));
        }
        try {
            EventDraft draft = bridge.inbound(event.getTopic(), properties);
            if (draft != null) {
                notifications.publish(draft);
            }
        } catch (AiflowException | IllegalArgumentException e) {
            LOG.warn("EventAdmin event on {} not published: {}", event.getTopic(), e.getMessage());
        }
    }
}
