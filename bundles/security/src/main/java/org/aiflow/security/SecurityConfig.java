package org.aiflow.security;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.aiflow.security.cfg}: where users are checked and how long a login is remembered. */
@ObjectClassDefinition(name = "AI Flow security")
public @interface SecurityConfig {
    String PID = "org.aiflow.security";

    @AttributeDefinition(description = "The Karaf JAAS realm that checks user names and passwords (jaas:realm-list)")
    String realm() default "karaf";

    @AttributeDefinition(description = "Seconds a successful Basic login is remembered (0: ask the realm at every call). "
            + "A changed password or role takes effect after at most this long")
    int loginCacheSeconds() default 10;

    @AttributeDefinition(description = "Hours a task's own token lives at most, even if the task runs on (0: until the task ends)")
    int taskTokenMaxHours() default 0;
}
