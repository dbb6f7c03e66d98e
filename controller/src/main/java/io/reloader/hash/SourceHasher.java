package io.reloader.hash;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.reloader.model.KeyDigests;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reloader-compatible data hash (docs/compatibility.md#hash): SHA-1 over the sorted {@code key=value} entries joined by {@code ;}.
 * Secret values are hashed as raw decoded bytes, never through a String, so invalid UTF-8 hashes correctly
 * and no decoded secret text is ever created.
 *
 * <p>Opt-in ({@code --hash-key-file}): HMAC-SHA256 with a secret key over the same bytes, so that hashes written
 * into pod specs cannot be used to test guesses of weak secrets offline. A deliberate break of hash
 * compatibility with Reloader: every workload rolls once when it is switched on or off.
 */
public final class SourceHasher {
    private static final byte SEPARATOR = ';';
    /** Shared key-name arrays (never written after creation), bounded: sets of keys beyond it are kept per source. */
    private static final java.util.Map<List<String>, String[]> KEY_SETS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_KEY_SETS = 4096;
    private static final SourceHasher RELOADER = new SourceHasher(null);

    private final byte[] key;

    private SourceHasher(byte[] key) {
        this.key = key == null ? null : key.clone();
    }

    /** Reloader's unsalted SHA-1: byte-identical hashes, the default. */
    public static SourceHasher reloaderCompatible() {
        return RELOADER;
    }

    /** HMAC-SHA256 with the given key (at least 16 bytes). */
    public static SourceHasher keyed(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the hash key must be at least 16 bytes, got " + key.length);
        }
        return new SourceHasher(key);
    }

    /** Reloader's hash of a ConfigMap's data and binaryData (the hash of {@link #digestsOfConfigMap}). */
    public String ofConfigMap(ConfigMap cm) {
        Digests streamed = StreamedDigest.of(cm.getAdditionalProperties());
        return streamed != null ? streamed.hash() : digestsOf(entries(cm), false).hash();
    }

    /** Reloader's hash of a Secret's decoded data (the hash of {@link #digestsOfSecret}). */
    public String ofSecret(Secret secret) {
        Digests streamed = StreamedDigest.of(secret.getAdditionalProperties());
        return streamed != null ? streamed.hash() : digestsOf(entries(secret), false).hash();
    }

    public String ofPodStatus(String secretProviderClassName, List<Map<String, Object>> objects) {
        List<DecodedEntry> entries = new ArrayList<>();
        if (objects != null) {
            for (Map<String, Object> o : objects) {
                entries.add(entry(String.valueOf(o.getOrDefault("id", "")),
                        String.valueOf(o.getOrDefault("version", "")).getBytes(StandardCharsets.UTF_8)));
            }
        }
        entries.add(entry("SecretProviderClassName", (secretProviderClassName == null ? ""
                : secretProviderClassName).getBytes(StandardCharsets.UTF_8)));
        return digestsOf(entries, false).hash();
    }

    /** The keyed variant's MAC, initialised with this hasher's key. */
    private Mac mac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java runtime", e);
        }
    }

    /** A source's hash and its per-key digests, computed together. */
    public record Digests(String hash, KeyDigests keys) {
    }

    /** {@link #ofConfigMap} and {@link #keysOfConfigMap} in one pass over the data: what the watch uses. */
    public Digests digestsOfConfigMap(ConfigMap cm) {
        Digests streamed = StreamedDigest.of(cm.getAdditionalProperties());
        return streamed != null ? streamed : digestsOf(entries(cm), true);
    }

    /** {@link #ofSecret} and {@link #keysOfSecret} in one pass over the data: what the watch uses. */
    public Digests digestsOfSecret(Secret secret) {
        Digests streamed = StreamedDigest.of(secret.getAdditionalProperties());
        return streamed != null ? streamed : digestsOf(entries(secret), true);
    }

    /**
     * The digests of a source from its entries (a Secret's decoded values with stringData merged over data; a
     * ConfigMap's text and binaryData's base64 text), as {@link SourceListDigester} reads them from a list page:
     * what {@link #digestsOfSecret} and {@link #digestsOfConfigMap} give the whole object. The list is sorted and
     * the values are wiped once used.
     */
    Digests digestsOfDecoded(List<DecodedEntry> entries) {
        return digestsOf(entries, true);
    }

    /**
     * The one place entries are hashed: sorted as the joined {@code key=value} bytes would be, joined by
     * {@code ;}, fed to SHA-1 (or the keyed HMAC) key, {@code =} and value in pieces, so a value of hundreds of
     * KiB (a Helm release) is never copied. With {@code perKey}, each key's digest too: with one key the whole
     * hash is that key's digest (half the hashing of a large Secret); with more, each key is hashed, then the
     * whole. The values are wiped.
     */
    private Digests digestsOf(List<DecodedEntry> entries, boolean perKey) {
        try {
            entries.sort(DecodedEntry::compareAsEntries);
            TreeMap<String, Long> keys = new TreeMap<>();
            if (perKey && entries.size() > 1) {
                for (DecodedEntry e : entries) {
                    keys.put(e.name(), first8(e.hashInto(newSink()).finish()));
                }
            }
            EntrySink whole = newSink();
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) {
                    whole.update(SEPARATOR);
                }
                entries.get(i).hashInto(whole);
            }
            String hash = HexFormat.of().formatHex(whole.finish());
            if (perKey && entries.size() == 1) {
                keys.put(entries.get(0).name(), first8(HexFormat.of().parseHex(hash)));
            }
            return new Digests(hash, toKeyDigests(keys));
        } finally {
            entries.forEach(DecodedEntry::wipe);
        }
    }

    private EntrySink newSink() {
        return key == null ? EntrySink.of(sha1()) : EntrySink.of(mac());
    }

    /**
     * A ConfigMap's {@code key=value} entries by key, the one place they are built: text data as UTF-8, binaryData
     * as its base64 text (as Reloader hashes it). A key in both (which an API server rejects) counts once, as
     * binaryData.
     */
    private static List<DecodedEntry> entries(ConfigMap cm) {
        TreeMap<String, DecodedEntry> entries = new TreeMap<>();
        if (cm.getData() != null) {
            cm.getData().forEach((k, v) -> entries.put(k, entry(k, v == null ? new byte[0]
                    : v.getBytes(StandardCharsets.UTF_8))));
        }
        if (cm.getBinaryData() != null) {
            Base64.Encoder encoder = Base64.getEncoder();
            cm.getBinaryData().forEach((k, v) -> entries.put(k, entry(k, encoder.encode(decode(v)))));
        }
        return new ArrayList<>(entries.values());
    }


    /**
     * A ServiceAccount's identity ({@code --reload-on-serviceaccount-change}): the selected annotations it carries,
     * hashed as a ConfigMap whose data they were: {@code key=value} entries (UTF-8) sorted as unsigned bytes,
     * joined by {@code ;}, SHA-1 (or the keyed HMAC). None of them present hashes as a ConfigMap without data
     * (SHA-1 of nothing). The per-key digests name the annotations that changed. Other annotations are not read.
     */
    public Digests digestsOfAnnotations(Map<String, String> annotations, Collection<String> selected) {
        TreeMap<String, DecodedEntry> entries = new TreeMap<>();
        if (annotations != null) {
            for (String k : selected) {
                String v = annotations.get(k);
                if (v != null) {
                    entries.put(k, entry(k, v.getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        return digestsOf(new ArrayList<>(entries.values()), true);
    }

    /** A per-key digest: the first 8 bytes of a hash, big-endian (fewer when the hash is shorter). */
    public static long first8(byte[] d) {
        long v = 0;
        for (int i = 0; i < 8 && i < d.length; i++) {
            v = (v << 8) | (d[i] & 0xff);
        }
        return v;
    }

    /** Per-key digests of a ConfigMap's data and binaryData, for key-level precision; never the data. */
    public KeyDigests keysOfConfigMap(ConfigMap cm) {
        return digestsOfConfigMap(cm).keys();
    }

    /** Per-key digests of a Secret's (decoded) data, for key-level precision; never the data. */
    public KeyDigests keysOfSecret(Secret secret) {
        return digestsOfSecret(secret).keys();
    }

    /**
     * A Secret's keys and decoded values as the API server stores them: {@code stringData} merged over
     * {@code data}, its values as UTF-8 (a write with {@code stringData} is a change of those keys). A real API
     * server has merged them before anyone reads the Secret; a server that keeps {@code stringData} as sent (the
     * in-process test server) must hash the same. The decoded bytes, never a String, are wiped once hashed.
     */
    private static List<DecodedEntry> entries(Secret secret) {
        Map<String, String> strings = secret.getStringData() == null ? Map.of() : secret.getStringData();
        List<DecodedEntry> entries = new ArrayList<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> {
                if (!strings.containsKey(k)) {
                    entries.add(entry(k, decode(v)));
                }
            });
        }
        strings.forEach((k, v) -> entries.add(entry(k, (v == null ? "" : v).getBytes(StandardCharsets.UTF_8))));
        return entries;
    }

    /**
     * The hash of some keys of a source, from their digests. Its {@code keys:} prefix keeps it apart from the hash
     * of the whole source, so a workload that switches between the two modes rolls once, never back and forth.
     */
    public static String keyScoped(KeyDigests digests, Collection<String> keys) {
        List<String> entries = new ArrayList<>();
        for (String k : new TreeSet<>(keys)) {
            Long d = digests.digest(k);
            entries.add(k + "=" + (d == null ? "-" : Long.toHexString(d)));
        }
        return "keys:" + sha1Hex(String.join(";", entries));
    }

    /** Per-key digests from their values by key, sharing key names (also for {@link StreamedDigest}). */
    static KeyDigests toKeyDigests(TreeMap<String, Long> digests) {
        if (digests.isEmpty()) {
            return KeyDigests.NONE;
        }
        // Key names, and whole sets of them, repeat across sources ("config.yaml", "password"): keep one copy.
        String[] keys = digests.keySet().stream().map(String::intern).toArray(String[]::new);
        if (KEY_SETS.size() < MAX_KEY_SETS) {
            keys = KEY_SETS.computeIfAbsent(List.of(keys), k -> k.toArray(String[]::new));
        } else {
            String[] shared = KEY_SETS.get(List.of(keys));
            keys = shared != null ? shared : keys;
        }
        long[] values = digests.values().stream().mapToLong(Long::longValue).toArray();
        return new KeyDigests(keys, values);
    }

    /** Reloader's hash of a ConfigMap. */
    public static String configMap(ConfigMap cm) {
        return RELOADER.ofConfigMap(cm);
    }

    /** Reloader's hash of a Secret. */
    public static String secret(Secret secret) {
        return RELOADER.ofSecret(secret);
    }

    /**
     * A SecretProviderClassPodStatus: {@code id=version} for each of {@code status.objects}, plus
     * {@code SecretProviderClassName=<name>} (docs/compatibility.md#hash, E5).
     */
    public static String podStatus(String secretProviderClassName, List<Map<String, Object>> objects) {
        return RELOADER.ofPodStatus(secretProviderClassName, objects);
    }

    /** SHA-1 hex of the UTF-8 bytes of a string; used for the delete marker (E6) and tests. */
    public static String sha1Hex(String text) {
        return HexFormat.of().formatHex(sha1().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] decode(String base64) {
        return base64 == null ? new byte[0] : Base64.getDecoder().decode(base64);
    }

    private static DecodedEntry entry(String key, byte[] value) {
        return DecodedEntry.of(key, value, value.length);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java runtime", e);
        }
    }
}
