/**
 * Who may do what: roles ({@code viewer} &lt; {@code operator} &lt; {@code author} &lt; {@code admin})
 * granted globally or per namespace, the authenticated {@link org.aiflow.api.security.Caller}, API
 * and task tokens, stored grants and the audit log.
 */
@Export
@Version("1.1.0")
package org.aiflow.api.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
