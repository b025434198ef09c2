package io.plinth.client.internal;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Every item of a keyset-paged listing, page after page: each page is read when the previous one is
 * used up, following its {@code next} cursor. Internal: not part of the SDK's API.
 */
public final class KeysetPages {

  /** One page: its items and the cursor of the next one (empty on the last). */
  public record Chunk<T>(List<T> items, Optional<String> next) {}

  private KeysetPages() {}

  /**
   * @param startAfter the cursor to start after, or null for the first page
   * @param fetch reads the page after a cursor (null: the first)
   */
  public static <T> Iterator<T> iterator(String startAfter, Function<String, Chunk<T>> fetch) {
    return new Iterator<>() {
      private Iterator<T> current = List.<T>of().iterator();
      private Optional<String> next = Optional.ofNullable(startAfter);
      private boolean started;

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && (!started || next.isPresent())) {
          Chunk<T> page = fetch.apply(next.orElse(null));
          started = true;
          current = page.items().iterator();
          next = page.next();
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

  /** An iterator as a sequential, ordered stream. */
  public static <T> Stream<T> stream(Iterator<T> iterator) {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }
}
