import { apiUrl, headers, problem } from './api.js';

/**
 * Follows GET /events/stream (Server-Sent Events) with fetch, which can send the Authorization
 * header that EventSource cannot. Reconnects after a drop, resuming after the last version seen
 * (Last-Event-ID), until the signal aborts. onEvent gets each event; onState(true|false, error)
 * tells whether the stream is connected. A 4xx answer ends it (onState(false, error)).
 */
export function followEvents(query, onEvent, { signal, onState = () => {}, lastVersion } = {}) {
  let last = lastVersion;
  let delay = 500;
  (async () => {
    while (!signal.aborted) {
      try {
        const h = headers({ Accept: 'text/event-stream' });
        if (last !== undefined && last !== null) h['Last-Event-ID'] = String(last);
        const res = await fetch(apiUrl('events/stream', query), { headers: h, signal, cache: 'no-store' });
        if (!res.ok) {
          const err = await problem(res);
          onState(false, err);
          if (res.status >= 400 && res.status < 500) return;
          throw err;
        }
        onState(true);
        delay = 500;
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buf = '';
        let data = [];
        let id = null;
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += decoder.decode(value, { stream: true });
          let nl;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).replace(/\r$/, '');
            buf = buf.slice(nl + 1);
            if (line === '') {
              if (data.length) {
                const text = data.join('\n');
                data = [];
                try {
                  const ev = JSON.parse(text);
                  last = id !== null ? id : ev.version;
                  onEvent(ev);
                } catch (e) { /* not an event */ }
              }
              id = null;
            } else if (line.startsWith('data:')) {
              data.push(line.slice(5).replace(/^ /, ''));
            } else if (line.startsWith('id:')) {
              id = line.slice(3).trim();
            }
          }
        }
        onState(false);
      } catch (e) {
        if (signal.aborted) return;
        onState(false, e);
      }
      await new Promise(r => setTimeout(r, delay));
      delay = Math.min(delay * 2, 8000);
    }
  })();
}
