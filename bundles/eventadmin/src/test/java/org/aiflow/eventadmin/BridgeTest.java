package org.aiflow.eventadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventListener;
import org.aiflow.api.event.NotificationService;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

class BridgeTest {
    private final Bridge bridge = new Bridge(List.of("ml", "default/model-*", " "), "/org/aiflow/event/", "osgi", "eventadmin-bridge");

    private static Event event(long version, String namespace, String key, String sender) {
        return new Event(version, namespace, key, "v" + version, "MODEL", sender, Map.of("workflowExecutionId", "7"),
                Instant.ofEpochMilli(1000 * version));
    }

    @Test
    void outboundMatchesNamespacesOrNamespaceSlashKeyWithWildcards() {
        assertThat(bridge.goesOut(event(1, "ml", "anything", ""))).isTrue();
        assertThat(bridge.goesOut(event(2, "default", "model-resnet", ""))).isTrue();
        assertThat(bridge.goesOut(event(3, "default", "other", ""))).isFalse();
        assertThat(bridge.goesOut(event(4, "mlx", "anything", ""))).isFalse();
        // what came in from EventAdmin never goes back out
        assertThat(bridge.goesOut(event(5, "ml", "anything", "eventadmin-bridge"))).isFalse();
        assertThat(new Bridge(List.of(), "t", "osgi", "s").hasOutbound()).isFalse();
    }

    @Test
    void topicIsPrefixNamespaceAndKeyWithInvalidCharactersReplaced() {
        assertThat(bridge.topic(event(1, "ml", "model.v2/deployed now", ""))).isEqualTo("org/aiflow/event/ml/model_v2/deployed_now");
        assertThat(bridge.topic(event(1, "ml", "a//b", ""))).isEqualTo("org/aiflow/event/ml/a/_/b");
        assertThatThrownBy(() -> new Bridge(List.of(), "org/ai flow", "osgi", "s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Bridge(List.of(), "", "osgi", "s")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void propertiesCarryTheWholeEventAndTheMarker() {
        Map<String, Object> p = bridge.properties(event(42, "ml", "k", "me"));
        assertThat(p).containsEntry(Bridge.BRIDGED, true).containsEntry(Bridge.NAMESPACE, "ml").containsEntry(Bridge.KEY, "k")
                .containsEntry(Bridge.VALUE, "v42").containsEntry(Bridge.TYPE, "MODEL").containsEntry(Bridge.SENDER, "me")
                .containsEntry(Bridge.VERSION, 42L).containsEntry(Bridge.CREATE_TIME, 42_000L)
                .containsEntry("aiflow.context.workflowExecutionId", "7");
    }

    @Test
    void inboundEventsBecomeDraftsUnlessTheyCrossedAlready() {
        Map<String, Object> props = new HashMap<>();
        props.put("value", 21.5);
        props.put("sensor", "s-1");
        props.put("event.topics", "com/acme/temp");
        props.put("blob", new byte[] {1});
        EventDraft d = bridge.inbound("com/acme/temp", props);
        assertThat(d.namespace()).isEqualTo("osgi");
        assertThat(d.key()).isEqualTo("com/acme/temp");
        assertThat(d.value()).isEqualTo("21.5");
        assertThat(d.type()).isEqualTo("OSGI_EVENT");
        assertThat(d.sender()).isEqualTo("eventadmin-bridge");
        assertThat(d.context()).isEqualTo(Map.of("osgi.topic", "com/acme/temp", "sensor", "s-1"));

        EventDraft keyed = bridge.inbound("com/acme/temp", Map.of(Bridge.KEY, "temperature", Bridge.VALUE, "22", Bridge.TYPE, "METRIC"));
        assertThat(keyed.key()).isEqualTo("temperature");
        assertThat(keyed.value()).isEqualTo("22");
        assertThat(keyed.type()).isEqualTo("METRIC");

        assertThat(bridge.inbound("org/aiflow/event/ml/k", bridge.properties(event(1, "ml", "k", "")))).isNull();
        assertThatThrownBy(() -> new Bridge(List.of(), "t", "not a namespace!", "s")).isInstanceOf(RuntimeException.class);
    }

    /** The component with fake services: both directions, and no echo when one bus feeds the other. */
    @Test
    void componentBridgesBothWaysWithoutEchoes() {
        List<EventDraft> published = new ArrayList<>();
        List<EventListener> listeners = new ArrayList<>();
        List<Long> subscribedAfter = new ArrayList<>();
        NotificationService notifications = proxy(NotificationService.class, (method, args) -> switch (method) {
            case "latestVersion" -> 10L;
            case "subscribe" -> {
                subscribedAfter.add((Long) args[0]);
                listeners.add((EventListener) args[1]);
                yield (NotificationService.Subscription) () -> listeners.clear();
            }
            case "publish" -> {
                published.add((EventDraft) args[0]);
                yield null;
            }
            default -> throw new UnsupportedOperationException(method);
        });
        List<org.osgi.service.event.Event> posted = new ArrayList<>();
        EventAdmin eventAdmin = new EventAdmin() {
            @Override
            public void postEvent(org.osgi.service.event.Event event) {
                posted.add(event);
            }

            @Override
            public void sendEvent(org.osgi.service.event.Event event) {
                posted.add(event);
            }
        };
        List<EventHandler> handlers = new ArrayList<>();
        List<Object> handlerTopics = new ArrayList<>();
        boolean[] unregistered = {false};
        BundleContext context = proxy(BundleContext.class, (method, args) -> {
            if (!method.equals("registerService")) {
                throw new UnsupportedOperationException(method);
            }
            handlers.add((EventHandler) args[1]);
            handlerTopics.add(((Dictionary<?, ?>) args[2]).get(EventConstants.EVENT_TOPIC));
            return proxy(org.osgi.framework.ServiceRegistration.class, (m, a) -> {
                unregistered[0] = m.equals("unregister");
                return null;
            });
        });
        EventAdminBridge.Config config = proxy(EventAdminBridge.Config.class, (method, args) -> switch (method) {
            case "outbound" -> new String[] {"ml"};
            case "outboundTopicPrefix" -> "org/aiflow/event";
            case "inbound" -> new String[] {"com/acme/*", "org/aiflow/event/*"};
            case "inboundNamespace" -> "osgi";
            case "sender" -> "eventadmin-bridge";
            default -> throw new UnsupportedOperationException(method);
        });

        EventAdminBridge component = new EventAdminBridge(notifications, eventAdmin, context, config);
        assertThat(subscribedAfter).containsExactly(10L); // from now on
        assertThat((String[]) handlerTopics.get(0)).containsExactly("com/acme/*", "org/aiflow/event/*");

        // out: matching events once each (the redelivered version 11 is dropped), others not at all
        EventListener out = listeners.get(0);
        out.onEvent(event(11, "ml", "trained", ""));
        out.onEvent(event(11, "ml", "trained", ""));
        out.onEvent(event(12, "default", "trained", ""));
        assertThat(posted).hasSize(1);
        assertThat(posted.get(0).getTopic()).isEqualTo("org/aiflow/event/ml/trained");
        assertThat(posted.get(0).getProperty(Bridge.VALUE)).isEqualTo("v11");

        // in: a foreign event is published; the bridge's own re-post (topic subscribed too) is not
        EventHandler in = handlers.get(0);
        in.handleEvent(new org.osgi.service.event.Event("com/acme/alarm", Map.of("value", "high")));
        in.handleEvent(posted.get(0));
        assertThat(published).hasSize(1);
        assertThat(published.get(0).key()).isEqualTo("com/acme/alarm");
        assertThat(published.get(0).value()).isEqualTo("high");

        // and what it published comes back from the event log with the bridge as sender: not re-posted
        out.onEvent(new Event(13, "ml", "com/acme/alarm", "high", "OSGI_EVENT", "eventadmin-bridge", Map.of(), Instant.now()));
        assertThat(posted).hasSize(1);

        component.deactivate();
        assertThat(listeners).isEmpty();
        assertThat(unregistered[0]).isTrue();
    }

    @FunctionalInterface
    private interface Answer {
        Object answer(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(BridgeTest.class.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    default -> type.getSimpleName() + " proxy";
                };
            }
            return answer.answer(m.getName(), args);
        });
    }
}
