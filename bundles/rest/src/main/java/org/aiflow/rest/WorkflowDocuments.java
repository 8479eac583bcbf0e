package org.aiflow.rest;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

import org.aiflow.api.error.Names;
import org.aiflow.api.error.ValidationException;
import org.aiflow.json.StrictText;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * What an uploaded workflow file must be before the scheduler reads it: strict UTF-8, one JSON
 * object (JSON types) or one YAML mapping (YAML types), nothing after it, no unpaired surrogates.
 * The scheduler then checks the content; these checks are about the document as such, which the
 * scheduler receives as text and so cannot see (it would read {@code null} as no workflow at all).
 */
final class WorkflowDocuments {
    private static final YAMLFactory YAML = new YAMLFactory();

    private WorkflowDocuments() {
    }

    /** @return the document as text, checked */
    static String check(String contentType, byte[] bytes) {
        String what = "the workflow document";
        String document = StrictText.decodeUtf8(what, bytes).toString();
        if (document.isBlank()) {
            throw new ValidationException("request body is empty");
        }
        boolean json = contentType == null || MediaTypes.isJson(contentType);
        JsonNode root;
        try {
            if (json) {
                StrictText.checkJsonEscapes(what, document);
                root = JsonProvider.MAPPER.readTree(document); // fails on trailing content
            } else {
                try (JsonParser p = YAML.createParser(document)) {
                    root = JsonProvider.MAPPER.readTree(p);
                    if (p.nextToken() != null) {
                        throw new ValidationException(what + " holds more than one YAML document (line "
                                + p.currentTokenLocation().getLineNr() + "): upload one workflow per request");
                    }
                }
                checkText(what, root);
            }
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            int newline = message.indexOf('\n');
            throw new ValidationException(what + " is not valid " + (json ? "JSON" : "YAML") + ": "
                    + (newline < 0 ? message : message.substring(0, newline))
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new ValidationException(what + " could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ValidationException(what + " must be " + (json ? "a JSON object" : "a YAML mapping") + ", not "
                    + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return document;
    }

    /** YAML escapes ({@code "\\ud800"}) can produce unpaired surrogates too: look at every name and text. */
    private static void checkText(String what, JsonNode node) {
        if (node == null) {
            return;
        }
        if (node.isTextual() && Names.unpairedSurrogate(node.textValue()) >= 0) {
            throw new ValidationException(what + " holds text with an unpaired surrogate, which has no UTF-8 form");
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (Names.unpairedSurrogate(e.getKey()) >= 0) {
                    throw new ValidationException(what + " holds a field name with an unpaired surrogate, which has no UTF-8 form");
                }
                checkText(what, e.getValue());
            }
        } else if (node.isArray()) {
            node.forEach(child -> checkText(what, child));
        }
    }
}
