package org.aiflow.scheduler;

import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.workflow.BuiltInConditionTypes;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The built-in {@code any-of} condition (see {@link CompositeCondition}). */
@Component(service = ConditionType.class, property = {ConditionType.TYPE_PROPERTY + "=" + BuiltInConditionTypes.ANY_OF,
        BuiltInConditions.MARKER + ":Boolean=true", Constants.SERVICE_RANKING + ":Integer=" + PluginRegistry.BUILT_IN_RANKING})
public final class AnyOfCondition extends CompositeCondition {
    @Activate
    public AnyOfCondition(@Reference ConditionTypes types) {
        super(false, types);
    }
}
