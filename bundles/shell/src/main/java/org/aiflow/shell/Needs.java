package org.aiflow.shell;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.aiflow.api.security.Role;

/**
 * The least role an {@code aiflow:} command needs. {@code etc/org.apache.karaf.command.acl.aiflow.cfg}
 * gives each command to this role and the ones above it (Karaf checks the session's role
 * principals before the command runs); the command checks it again against the caller's grants
 * (in at least one namespace), and in the namespace it acts on once it knows it. A test keeps the
 * file and these annotations in step.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface Needs {
    Role value();
}
