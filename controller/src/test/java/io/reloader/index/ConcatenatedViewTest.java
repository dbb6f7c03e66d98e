package io.reloader.index;

import org.junit.jupiter.api.Test;

import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConcatenatedViewTest {

    @Test
    void readsEveryPartInOrderSkippingEmptyOnes() {
        ConcatenatedView<String> view = new ConcatenatedView<>(List.of(List.of(), List.of("a", "b"), List.of(),
                List.of("c"), List.of()));

        assertThat(view).containsExactly("a", "b", "c");
        assertThat(view).hasSize(3);
        Iterator<String> it = view.iterator();
        it.next();
        it.next();
        it.next();
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void asksForAPartsIteratorOnlyOnceThePartBeforeItIsDone() {
        AtomicInteger opened = new AtomicInteger();
        ConcatenatedView<String> view = new ConcatenatedView<>(List.of(counting(List.of("a"), opened),
                counting(List.of("b"), opened)));

        Iterator<String> it = view.iterator();
        assertThat(it.next()).isEqualTo("a");
        assertThat(opened).hasValue(1);
        assertThat(it.next()).isEqualTo("b");
        assertThat(opened).hasValue(2);
    }

    private static Collection<String> counting(List<String> items, AtomicInteger opened) {
        return new AbstractCollection<>() {
            @Override
            public Iterator<String> iterator() {
                opened.incrementAndGet();
                return items.iterator();
            }

            @Override
            public int size() {
                return items.size();
            }
        };
    }
}
