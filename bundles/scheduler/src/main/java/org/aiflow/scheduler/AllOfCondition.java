package org.aiflow.scheduler;

import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.workflow.BuiltInConditionTypes;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The built-in {@code all-of} condition (see {@link CompositeCondition}). */
@Component(service = ConditionType.class, property = {ConditionType.TYPE_PROPERTY + "=" + BuiltInConditionTypes.ALL_OF,
        BuiltInConditions.MARKER + ":Boolean=true", Constants.SERVICE_RANKING + ":Integer=" + PluginRegistry.BUILT_IN_RANKING})
public final class AllOfCondition extends CompositeCondition {
    @Activate
    public AllOfCondition(@Reference ConditionTypes types) {
        super(true, types);
    }
}
