package io.reloader.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Tells a flapping source from a changing one (project extension, {@code --flap-window}): a source flaps when its
 * data returns, for the second time within the window, to a hash it had earlier in the window. One revert (A→B→A)
 * is a rollback and rolls; A→B→A→B is flapping. A flapping source is held until it stays unchanged for the window.
 * <p>
 * Pure (time is an argument) and bounded: a few versions per source, and only sources that changed within the
 * window, at most {@code maxSources} of them; a version is forgotten once the source left it longer than the
 * window ago. Thread-safe.
 *
 * @param <K> what identifies a source
 */
public final class FlapDetector<K> {
    /** What a change means. */
    public enum Verdict {
        /** Not flapping: the change rolls. */
        ROLL,
        /** This change made the source flap: it and the source's next changes roll nothing. */
        STARTED,
        /** The source already flaps: held. */
        HELD
    }

    /**
     * What the end of a hold came to.
     *
     * @param settled true when the source stayed unchanged for the window: the hold is over
     * @param until   while still held, when to look again (its last change plus the window); else null
     */
    public record Settle(boolean settled, Instant until) {
        static final Settle NOT_HELD = new Settle(false, null);
    }

    /** One version of a source's data: its hash, since when it had it, and who wrote it (null: not known). */
    private record Version(String hash, Instant since, String manager) {
    }

    private static final class Track {
        final ArrayDeque<Version> versions = new ArrayDeque<>();
        boolean flapping;

        Instant lastChange() {
            return versions.getLast().since();
        }
    }

    private final Duration window;
    private final int maxVersions;
    private final int maxSources;
    /** Ordered by last change, oldest first, so what the window left behind is at the front. */
    private final LinkedHashMap<K, Track> tracks = new LinkedHashMap<>();
    private int flapping;

    /**
     * @param maxVersions versions kept per source (at least 4, the shortest flap)
     * @param maxSources  sources tracked at once; past it a source that changed within the window and is not
     *                    flapping is forgotten, and when all flap a new one is not tracked (it rolls)
     */
    public FlapDetector(Duration window, int maxVersions, int maxSources) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the flap window must be positive");
        }
        this.window = window;
        this.maxVersions = Math.max(4, maxVersions);
        this.maxSources = Math.max(1, maxSources);
    }

    public Duration window() {
        return window;
    }

    /**
     * The source's data changed from {@code priorHash} (null: not known) to {@code hash} at {@code now}.
     *
     * @param manager the field manager that wrote {@code hash}, or null
     */
    public synchronized Verdict changed(K source, String priorHash, String hash, String manager, Instant now) {
        sweep(now);
        Track track = tracks.remove(source); // re-inserted last: ordered by last change
        if (track == null) {
            if (tracks.size() >= maxSources && !evictOne()) {
                return Verdict.ROLL; // every tracked source flaps: fail open, the rate limits still apply
            }
            track = new Track();
            if (priorHash != null) {
                track.versions.add(new Version(priorHash, now, null));
            }
        }
        tracks.put(source, track);
        if (!track.versions.isEmpty() && track.versions.getLast().hash().equals(hash)) {
            return track.flapping ? Verdict.HELD : Verdict.ROLL; // the same data seen again is no change
        }
        forgetLeft(track, now);
        track.versions.add(new Version(hash, now, manager));
        while (track.versions.size() > maxVersions) {
            track.versions.removeFirst();
        }
        if (track.flapping) {
            return Verdict.HELD;
        }
        if (returns(track) >= 2) {
            track.flapping = true;
            flapping++;
            return Verdict.STARTED;
        }
        return Verdict.ROLL;
    }

    /**
     * Whether a held source has settled by {@code now}: it has when its last change is at least the window ago; it
     * is then forgotten. A source not held (never, or forgotten meanwhile) gives {@code settled=false, until=null}.
     */
    public synchronized Settle settle(K source, Instant now) {
        Track track = tracks.get(source);
        if (track == null || !track.flapping) {
            return Settle.NOT_HELD;
        }
        Instant until = track.lastChange().plus(window);
        if (now.isBefore(until)) {
            return new Settle(false, until);
        }
        tracks.remove(source);
        flapping--;
        return new Settle(true, null);
    }

    /** The source is gone (deleted): forgotten; true when it was held. */
    public synchronized boolean forget(K source) {
        Track track = tracks.remove(source);
        if (track != null && track.flapping) {
            flapping--;
            return true;
        }
        return false;
    }

    public synchronized boolean holds(K source) {
        Track track = tracks.get(source);
        return track != null && track.flapping;
    }

    /** When the hold of a flapping source ends if it does not change again; null when it is not held. */
    public synchronized Instant holdEnds(K source) {
        Track track = tracks.get(source);
        return track == null || !track.flapping ? null : track.lastChange().plus(window);
    }

    /** The field managers that wrote the versions remembered of the source, in the order they first wrote. */
    public synchronized List<String> managers(K source) {
        Track track = tracks.get(source);
        if (track == null) {
            return List.of();
        }
        Set<String> managers = new LinkedHashSet<>();
        track.versions.stream().map(Version::manager).filter(Objects::nonNull).forEach(managers::add);
        return new ArrayList<>(managers);
    }

    /** How many sources are held now. */
    public synchronized int flappingCount() {
        return flapping;
    }

    /** The sources held now. */
    public synchronized List<K> flapping() {
        return tracks.entrySet().stream().filter(e -> e.getValue().flapping).map(Map.Entry::getKey).toList();
    }

    /** Sources tracked now (bounded by {@code maxSources}). */
    public synchronized int tracked() {
        return tracks.size();
    }

    /**
     * Forgets the versions the source left more than the window ago: each was had until the next one began, the
     * last one until now.
     */
    private void forgetLeft(Track track, Instant now) {
        Instant horizon = now.minus(window);
        while (track.versions.size() > 1) {
            Iterator<Version> it = track.versions.iterator();
            it.next();
            Instant left = it.next().since();
            if (!left.isBefore(horizon)) {
                return;
            }
            track.versions.removeFirst();
        }
    }

    /** How many versions repeat one before them: each is a return to earlier data. */
    private static int returns(Track track) {
        Set<String> seen = new java.util.HashSet<>();
        int returns = 0;
        for (Version v : track.versions) {
            if (!seen.add(v.hash())) {
                returns++;
            }
        }
        return returns;
    }

    /** Drops sources that have not changed within the window and are not held: nothing of them counts any more. */
    private void sweep(Instant now) {
        Instant horizon = now.minus(window);
        Iterator<Track> it = tracks.values().iterator();
        while (it.hasNext()) {
            Track t = it.next();
            if (!t.lastChange().isBefore(horizon)) {
                return; // ordered by last change: the rest are newer
            }
            if (!t.flapping) {
                it.remove();
            }
        }
    }

    /** Makes room: forgets the source changed longest ago that is not held; false when every source is held. */
    private boolean evictOne() {
        Iterator<Track> it = tracks.values().iterator();
        while (it.hasNext()) {
            if (!it.next().flapping) {
                it.remove();
                return true;
            }
        }
        return false;
    }
}
