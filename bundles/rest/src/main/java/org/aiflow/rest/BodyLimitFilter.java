package org.aiflow.rest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.ext.Provider;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;


/**
 * Request-size cap: reject early on Content-Length, and cap the entity stream for chunked bodies
 * (the JSON reader turns the TooLarge IOException into 413).
 */
@Component(service = BodyLimitFilter.class, configurationPid = Rest.CONFIG_PID)
@Provider
@PreMatching
public class BodyLimitFilter implements ContainerRequestFilter {


    private final long cap;

    @Activate
    public BodyLimitFilter(RestConfig config) {
        this.cap = config.maxBodyBytes();
    }

    @Override
    public void filter(ContainerRequestContext ctx) {
        int length = ctx.getLength();
        if (length > cap) {
            throw new PayloadTooLargeException(cap);
        }
        // only a request that announces a body has one (RFC 9112 6.3); hasEntity() would probe the stream of every GET
        if ((length > 0 || ctx.getHeaderString("Transfer-Encoding") != null) && ctx.hasEntity()) {
            ctx.setEntityStream(new Capped(ctx.getEntityStream(), cap));
        }
    }

    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
        final long cap;
        TooLarge(long cap) { super("request body exceeds " + cap + " bytes"); this.cap = cap; }
    }

    private static final class Capped extends FilterInputStream {
        private final long cap;
        private long count;

        Capped(InputStream in, long cap) { super(in); this.cap = cap; }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) add(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) add(n);
            return n;
        }

        private void add(long n) throws TooLarge {
            count += n;
            if (count > cap) throw new TooLarge(cap);
        }
    }
}
