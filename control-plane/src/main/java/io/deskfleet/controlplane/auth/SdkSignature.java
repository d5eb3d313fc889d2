package io.deskfleet.controlplane.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Huawei Cloud SDK request signature ({@code SDK-HMAC-SHA256}), as the public Java SDK's
 * {@code com.huaweicloud.sdk.core.auth.AKSKSigner} computes it:
 * <pre>
 * canonical request = METHOD \n canonical URI \n canonical query \n canonical headers \n signed headers \n hex(sha256(body))
 * string to sign    = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(sha256(canonical request))
 * signature         = hex(HMAC-SHA256(secret key, string to sign))
 * </pre>
 * The canonical URI is every path segment as sent, percent-encoded again, each followed by '/' (so it always ends
 * with '/'). The query is sorted by encoded name; names and values are percent-encoded (RFC 3986: space is %20, '~'
 * stays). Canonical headers are {@code name:value\n} for each signed header, names lower-case, in the order of
 * SignedHeaders (the SDK sorts them).
 */
public final class SdkSignature {
    public static final String ALGORITHM = "SDK-HMAC-SHA256";
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "SDK-HMAC-SHA256\\s+Access=([^,\\s]+),\\s*SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-fA-F]+)\\s*");

    private SdkSignature() {
    }

    /** The parts of an {@code Authorization: SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...} header. */
    public record Authorization(String accessKey, List<String> signedHeaders, String signature) {
    }

    public static Optional<Authorization> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = AUTHORIZATION.matcher(header);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Authorization(m.group(1), List.of(m.group(2).toLowerCase(Locale.ROOT).split(";")),
                m.group(3).toLowerCase(Locale.ROOT)));
    }

    public static boolean isSigned(String authorizationHeader) {
        return authorizationHeader != null && authorizationHeader.startsWith(ALGORITHM + " ");
    }

    /**
     * @param rawPath  the request path as sent (still percent-encoded)
     * @param rawQuery the query as sent, or null
     * @param header   a signed header's value by lower-case name, or null when absent
     */
    public static String canonicalRequest(String method, String rawPath, String rawQuery, List<String> signedHeaders,
                                          Function<String, String> header, byte[] body) {
        StringBuilder headers = new StringBuilder();
        for (String name : signedHeaders) {
            String value = header.apply(name);
            headers.append(name).append(':').append(value == null ? "" : value.trim()).append('\n');
        }
        return method + "\n" + canonicalUri(rawPath) + "\n" + canonicalQuery(rawQuery) + "\n" + headers + "\n"
                + String.join(";", signedHeaders) + "\n" + hex(sha256(body));
    }

    public static String signature(String secret, String sdkDate, String canonicalRequest) {
        String stringToSign = ALGORITHM + "\n" + sdkDate + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return hex(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** Constant-time comparison of two hex signatures. */
    public static boolean matches(String expected, String presented) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    static String canonicalUri(String rawPath) {
        if (rawPath.equals("/")) {
            return "/";
        }
        StringBuilder uri = new StringBuilder();
        // String.split drops trailing empty segments, exactly as the SDK's does.
        for (String segment : rawPath.split("/")) {
            uri.append(encode(segment)).append('/');
        }
        return uri.toString();
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            sorted.computeIfAbsent(encode(name), k -> new ArrayList<>()).add(encode(value));
        }
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, List<String>> e : sorted.entrySet()) {
            for (String value : e.getValue()) {
                if (!query.isEmpty()) {
                    query.append('&');
                }
                query.append(e.getKey()).append('=').append(value);
            }
        }
        return query.toString();
    }

    /** RFC 3986 percent-encoding, as the SDK's SignUtils.urlEncode(value, false). */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

    private static String decode(String text) {
        // '+' in a query is a literal plus for the SDK (it sends spaces as %20).
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
