/**
 * The JSON wire format of the API's records: field names are the record component names,
 * instants are ISO-8601 strings, unknown fields are errors.
 */
@Export
@Version("1.1.0")
package org.aiflow.json;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
