package io.reloader.index;

import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Several collections read one after another, without copying them into one: each part's iterator is asked for
 * only when the one before it is done, so lazily parsed parts stay lazy.
 */
public final class ConcatenatedView<T> extends AbstractCollection<T> {
    private final List<? extends Collection<? extends T>> parts;

    public ConcatenatedView(List<? extends Collection<? extends T>> parts) {
        this.parts = List.copyOf(parts);
    }

    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private int next;
            private Iterator<? extends T> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && next < parts.size()) {
                    current = parts.get(next++).iterator();
                }
                return current.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    @Override
    public int size() {
        return parts.stream().mapToInt(Collection::size).sum();
    }
}
