package org.aiflow.json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.aiflow.api.error.ValidationException;

/**
 * Input checks the JSON parser does not make: request bodies must be well-formed UTF-8 (Jackson's
 * byte parser decodes overlong forms such as {@code C0 AF} as {@code /}), JSON text must not escape
 * an unpaired surrogate ({@code "\\ud800x"} has no UTF-8 form: a database stores {@code ?}), and
 * instants must fit the stores' epoch milliseconds.
 */
public final class StrictText {
    /** The earliest instant the API accepts. */
    public static final Instant MIN_INSTANT = Instant.parse("0000-01-01T00:00:00Z");
    /** The latest instant the API accepts. */
    public static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999999Z");
    /** The range as error messages name it. */
    public static final String INSTANT_RANGE = "an ISO-8601 instant such as 2026-01-31T12:00:00Z, from "
            + MIN_INSTANT + " to " + MAX_INSTANT;

    private StrictText() {
    }

    /**
     * Decodes strict UTF-8: malformed, overlong, surrogate-encoding and truncated sequences fail.
     *
     * @throws ValidationException naming {@code what} and the byte offset
     */
    public static CharBuffer decodeUtf8(String what, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isUnderflow()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            throw new ValidationException(what + " is not valid UTF-8: a malformed byte sequence at byte offset " + in.position());
        }
        if (!r.isUnderflow()) {
            // cannot happen: UTF-8 never needs more chars than bytes
            throw new IllegalStateException("UTF-8 decoding overflowed", new CharacterCodingException());
        }
        return out.flip();
    }

    /**
     * Fails if JSON text holds a {@code \\uXXXX} escape of a surrogate that is not half of a pair.
     * Backslashes occur in JSON only inside strings, as escapes, so a single left-to-right scan
     * finds every escape; raw surrogates cannot occur in text from {@link #decodeUtf8}.
     *
     * @throws ValidationException naming {@code what} and the character offset
     */
    public static void checkJsonEscapes(String what, CharSequence json) {
        int n = json.length();
        boolean pendingHigh = false;
        int highAt = -1;
        for (int i = 0; i < n; i++) {
            if (json.charAt(i) != '\\' || i + 1 >= n) {
                if (pendingHigh) {
                    throw unpaired(what, highAt);
                }
                continue;
            }
            char kind = json.charAt(i + 1);
            int unit = kind == 'u' ? hex4(json, i + 2) : -1;
            if (pendingHigh && !(unit >= 0 && Character.isLowSurrogate((char) unit))) {
                throw unpaired(what, highAt);
            }
            if (unit >= 0 && Character.isLowSurrogate((char) unit) && !pendingHigh) {
                throw unpaired(what, i);
            }
            pendingHigh = unit >= 0 && Character.isHighSurrogate((char) unit);
            highAt = i;
            i += kind == 'u' ? 5 : 1;
        }
        if (pendingHigh) {
            throw unpaired(what, highAt);
        }
    }

    private static int hex4(CharSequence s, int from) {
        if (from + 4 > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < from + 4; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1; // the parser reports the bad escape
            }
            v = v * 16 + d;
        }
        return v;
    }

    private static ValidationException unpaired(String what, int at) {
        return new ValidationException(what + " holds an unpaired surrogate escape (\\ud800-\\udfff without its other half) at character "
                + at + ": such text has no UTF-8 form");
    }

    /**
     * Parses an ISO-8601 instant within [{@link #MIN_INSTANT}, {@link #MAX_INSTANT}].
     *
     * @throws ValidationException naming {@code what} and the allowed range
     */
    public static Instant instant(String what, String text) {
        Instant i;
        try {
            i = Instant.parse(text.trim());
        } catch (DateTimeParseException | NullPointerException e) {
            throw new ValidationException(what + " must be " + INSTANT_RANGE);
        }
        if (i.isBefore(MIN_INSTANT) || i.isAfter(MAX_INSTANT)) {
            throw new ValidationException(what + " must be " + INSTANT_RANGE);
        }
        return i;
    }
}
