package io.reloader.hash;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * The rewritten response as it grows, handed out in order. A part can be deferred: computed on another thread
 * (a large source's digests, while the next source is read) and put in its place once done; what follows it is
 * held until then. One writer thread; bounded: at most {@link #MAX_DEFERRED} parts are outstanding, and one more
 * waits for the oldest (or computes it, when no thread has taken it up yet).
 */
final class RewrittenOutput {
    static final int MAX_DEFERRED = 2;

    /** A part to go at {@code position}: counted from the response's start, so handing bytes out moves none. */
    private record Deferred(long position, FutureTask<byte[]> part) {
    }

    private final Executor executor;
    private final ArrayDeque<Deferred> deferred = new ArrayDeque<>();
    private byte[] bytes;
    private int length;
    /** Bytes handed out so far: {@code bytes[0]} is this position of the response. */
    private long handedOut;

    /** Deferred parts run on {@code executor} (which must not wait for this writer). */
    RewrittenOutput(Executor executor, int capacity) {
        this.executor = executor;
        this.bytes = new byte[capacity];
    }

    void put(byte b) {
        ensure(1);
        bytes[length++] = b;
    }

    void put(byte[] from, int start, int end) {
        ensure(end - start);
        System.arraycopy(from, start, bytes, length, end - start);
        length += end - start;
    }

    void put(String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            put((byte) ascii.charAt(i));
        }
    }

    /** A part computed elsewhere, to go here. */
    void defer(Supplier<byte[]> part) {
        if (deferred.size() >= MAX_DEFERRED) {
            await(deferred.peekFirst().part());
        }
        FutureTask<byte[]> task = new FutureTask<>(part::get);
        deferred.addLast(new Deferred(handedOut + length, task));
        executor.execute(task);
    }

    /** Waits for (or computes) every deferred part, so that the next {@link #take} hands out everything. */
    void awaitDeferred() {
        deferred.forEach(d -> await(d.part()));
    }

    /** What is complete so far, in order; with {@code all}, after waiting for every deferred part. */
    byte[] take(boolean all) {
        List<Deferred> ready = new ArrayList<>();
        List<byte[]> parts = new ArrayList<>();
        int size = 0;
        while (!deferred.isEmpty() && (all || deferred.peekFirst().part().isDone())) {
            Deferred next = deferred.removeFirst();
            byte[] part = await(next.part());
            ready.add(next);
            parts.add(part);
            size += part.length;
        }
        int end = deferred.isEmpty() ? length : offsetOf(deferred.peekFirst());
        byte[] taken = new byte[size + end];
        int from = 0;
        int at = 0;
        for (int i = 0; i < ready.size(); i++) {
            int to = offsetOf(ready.get(i));
            System.arraycopy(bytes, from, taken, at, to - from);
            at += to - from;
            System.arraycopy(parts.get(i), 0, taken, at, parts.get(i).length);
            at += parts.get(i).length;
            from = to;
        }
        System.arraycopy(bytes, from, taken, at, end - from);
        // Keep what follows an unfinished part, at the start.
        System.arraycopy(bytes, end, bytes, 0, length - end);
        length -= end;
        handedOut += end;
        return taken;
    }

    private int offsetOf(Deferred d) {
        return (int) (d.position() - handedOut);
    }

    /** The part, computed here if no thread has started it (so no wait on a queue), else once its thread is done. */
    private static byte[] await(FutureTask<byte[]> part) {
        part.run();
        try {
            return part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a source's digests were computed", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void ensure(int more) {
        if (bytes.length - length < more) {
            bytes = Arrays.copyOf(bytes, Math.max(Math.max(16, bytes.length * 2), length + more));
        }
    }
}
