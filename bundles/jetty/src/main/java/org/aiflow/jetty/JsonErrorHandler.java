package org.aiflow.jetty;

import java.io.IOException;
import java.nio.ByteBuffer;

import javax.servlet.RequestDispatcher;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * The server's error handler (set by this fragment's {@code /jetty.xml}): Jetty calls it for
 * requests its parser refuses before any context sees them ({@code %00}, {@code %ZZ}, invalid
 * UTF-8, a space in the path, 414, 431, 505: measured as {@code <h1>Bad Message 400</h1>} pages
 * before) and for errors outside every context (a 404 for a path no context serves). Every such
 * answer is the API's JSON problem body.
 */
public class JsonErrorHandler extends ErrorHandler {

    /** Jetty's own handler writes bodies only for GET, POST and HEAD: TRACE's 405 was empty. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problems.PROBLEM_JSON);
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        return ByteBuffer.wrap(Problems.bytes(status, Problems.code(status), Problems.message(status, plain(reason, status))));
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response) throws IOException {
        doError(target, baseRequest, request, response);
    }

    @Override
    public void doError(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response) throws IOException {
        baseRequest.setHandled(true);
        int status = response.getStatus();
        Object reason = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        Problems.write(response, status, Problems.code(status), Problems.message(status, plain(reason == null ? null : reason.toString(), status)));
    }

    /** Jetty's reason when it says more than the status' name ("Illegal character SPACE=' '", "No Host"). */
    private static String plain(String reason, int status) {
        if (reason == null || reason.isBlank() || status == 404 || status == 414 || status == 431
                || reason.equalsIgnoreCase(org.eclipse.jetty.http.HttpStatus.getMessage(status))) {
            return null;
        }
        return reason.length() > 200 ? reason.substring(0, 200) : reason;
    }
}
