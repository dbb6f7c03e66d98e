package io.reloader.hash;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reloader-compatible data hash (spec §5): SHA-1 over the sorted {@code key=value} entries joined by {@code ;}.
 * Secret values are hashed as raw decoded bytes, never through a String, so invalid UTF-8 hashes correctly
 * and no decoded secret text is ever created.
 */
public final class SourceHasher {
    private static final byte[] EQUALS = {'='};
    private static final byte SEPARATOR = ';';

    private SourceHasher() {
    }

    public static String configMap(ConfigMap cm) {
        List<byte[]> entries = new ArrayList<>();
        addText(entries, cm.getData());
        if (cm.getBinaryData() != null) {
            Base64.Encoder encoder = Base64.getEncoder();
            for (Map.Entry<String, String> e : cm.getBinaryData().entrySet()) {
                byte[] raw = decode(e.getValue());
                entries.add(entry(e.getKey(), encoder.encode(raw)));
            }
        }
        return hashEntries(entries);
    }

    public static String secret(Secret secret) {
        List<byte[]> entries = new ArrayList<>();
        if (secret.getData() != null) {
            for (Map.Entry<String, String> e : secret.getData().entrySet()) {
                byte[] raw = decode(e.getValue());
                entries.add(entry(e.getKey(), raw));
                Arrays.fill(raw, (byte) 0);
            }
        }
        return hashEntries(entries);
    }

    /**
     * A SecretProviderClassPodStatus: {@code id=version} for each of {@code status.objects}, plus
     * {@code SecretProviderClassName=<name>} (spec §5, E5).
     */
    public static String podStatus(String secretProviderClassName, List<Map<String, Object>> objects) {
        List<byte[]> entries = new ArrayList<>();
        if (objects != null) {
            for (Map<String, Object> o : objects) {
                entries.add(entry(String.valueOf(o.getOrDefault("id", "")),
                        String.valueOf(o.getOrDefault("version", "")).getBytes(StandardCharsets.UTF_8)));
            }
        }
        entries.add(entry("SecretProviderClassName", (secretProviderClassName == null ? ""
                : secretProviderClassName).getBytes(StandardCharsets.UTF_8)));
        return hashEntries(entries);
    }

    /** SHA-1 hex of the UTF-8 bytes of a string; used for the delete marker (E6) and tests. */
    public static String sha1Hex(String text) {
        return HexFormat.of().formatHex(sha1().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static void addText(List<byte[]> entries, Map<String, String> data) {
        if (data != null) {
            for (Map.Entry<String, String> e : data.entrySet()) {
                entries.add(entry(e.getKey(), e.getValue() == null ? new byte[0]
                        : e.getValue().getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    private static byte[] decode(String base64) {
        return base64 == null ? new byte[0] : Base64.getDecoder().decode(base64);
    }

    private static byte[] entry(String key, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(key.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(EQUALS);
        out.writeBytes(value);
        return out.toByteArray();
    }

    /** Sorts entries as unsigned byte strings (Go's sort.Strings order), joins them with ';' and hashes. */
    static String hashEntries(List<byte[]> entries) {
        entries.sort(Arrays::compareUnsigned);
        MessageDigest digest = sha1();
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                digest.update(SEPARATOR);
            }
            byte[] e = entries.get(i);
            digest.update(e);
            Arrays.fill(e, (byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java runtime", e);
        }
    }
}
