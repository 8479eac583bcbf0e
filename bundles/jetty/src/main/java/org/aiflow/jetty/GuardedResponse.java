package org.aiflow.jetty;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Locale;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpServletResponseWrapper;

/**
 * The response an API request's servlets write to. The API itself answers JSON only, so an HTML
 * body comes from the container: CXF's {@code 404 <html><body>No service was found.</body></html>}
 * (its servlet is there, the application has no endpoint yet: measured while resources register
 * and while the storage is down) or a {@code sendError} of pax-web's 404 servlet (the context is
 * there, the servlet not yet). Such bodies are swallowed and replaced by a problem body.
 */
final class GuardedResponse extends HttpServletResponseWrapper {
    /** Writes the whole answer for a request the API is not there to answer (503, or the health answers). */
    interface Unavailable {
        void answer(HttpServletResponse response) throws IOException;
    }

    private final Unavailable unavailable;
    private int status = SC_OK;
    private boolean diverted;

    GuardedResponse(HttpServletResponse response, Unavailable unavailable) {
        super(response);
        this.unavailable = unavailable;
    }

    @Override
    public void setStatus(int sc) {
        status = sc;
        super.setStatus(sc);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void setStatus(int sc, String sm) {
        status = sc;
        super.setStatus(sc, sm);
    }

    @Override
    public void setContentType(String type) {
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("text/html")) {
            diverted = true;
            return;
        }
        super.setContentType(type);
    }

    @Override
    public void setHeader(String name, String value) {
        if ("Content-Type".equalsIgnoreCase(name)) {
            setContentType(value);
        } else {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if ("Content-Type".equalsIgnoreCase(name)) {
            setContentType(value);
        } else {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setContentLength(int len) {
        if (!diverted) {
            super.setContentLength(len);
        }
    }

    @Override
    public void setContentLengthLong(long len) {
        if (!diverted) {
            super.setContentLengthLong(len);
        }
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        return diverted ? new PrintWriter(Writer.nullWriter()) : super.getWriter();
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        return diverted ? new NullOutputStream() : super.getOutputStream();
    }

    @Override
    public void sendError(int sc) throws IOException {
        sendError(sc, null);
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        // written at once (not left to the context's HTML error handler), also inside async requests
        problem(sc, msg);
    }

    /** After the servlets ran: replaces a swallowed HTML body. */
    void finish() throws IOException {
        if (diverted) {
            problem(status, null);
        }
    }

    private void problem(int sc, String msg) throws IOException {
        HttpServletResponse response = (HttpServletResponse) getResponse();
        if (sc == SC_NOT_FOUND) {
            // the API answers its own 404s (JSON): a container 404 under its base means it is not (yet) there
            unavailable.answer(response);
        } else {
            Problems.write(response, sc, Problems.code(sc), Problems.message(sc, msg));
        }
    }

    private static final class NullOutputStream extends ServletOutputStream {
        private final OutputStream sink = OutputStream.nullOutputStream();

        @Override
        public void write(int b) throws IOException {
            sink.write(b);
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener writeListener) {
            // nothing is written
        }
    }
}
