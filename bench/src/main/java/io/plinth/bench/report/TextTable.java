package io.plinth.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table, the way every bench prints: sections with a title underlined by {@code =},
 * label rows, blocks of cell rows and lines of free text. Labels share one width over the whole
 * table; a block of cell rows (after a header, which gets a rule of {@code -}) has right-aligned
 * columns of their own width; trailing blanks of a cell row are dropped.
 */
public final class TextTable {

  private sealed interface Line permits Title, Pair, Cells, Text {}

  private record Title(String text, int rule) implements Line {}

  private record Pair(String label, String value) implements Line {}

  private record Cells(String label, List<String> cells, boolean header) implements Line {}

  private record Text(String text) implements Line {}

  private final List<Line> lines = new ArrayList<>();
  private int maxRule = Integer.MAX_VALUE;
  private int minLabelWidth;

  /** Section rules are at most {@code width} long, however long their title. */
  public TextTable ruleAtMost(int width) {
    this.maxRule = width;
    return this;
  }

  /** Labels are padded to at least {@code width}, however short they all are. */
  public TextTable labelsAtLeast(int width) {
    this.minLabelWidth = width;
    return this;
  }

  /** A blank line, the title, and a rule of {@code =} as long as the title (up to the maximum). */
  public TextTable section(String title) {
    return section(title, Math.min(title.length(), maxRule));
  }

  /** A blank line, the title, and a rule of {@code =} {@code rule} long. */
  public TextTable section(String title, int rule) {
    lines.add(new Title(title, rule));
    return this;
  }

  /** {@code label value}, the label padded to the table's label width. */
  public TextTable row(String label, String value) {
    lines.add(new Pair(label, value));
    return this;
  }

  /** Every entry as a {@link #row}. */
  public TextTable rows(java.util.Map<String, String> entries) {
    entries.forEach(this::row);
    return this;
  }

  /** The header of a block of cell rows, followed by a rule of {@code -} as wide as the block. */
  public TextTable header(String label, String... columns) {
    lines.add(new Cells(label, List.of(columns), true));
    return this;
  }

  public TextTable cells(String label, List<String> cells) {
    lines.add(new Cells(label, cells, false));
    return this;
  }

  /** A line printed as it is. */
  public TextTable line(String text) {
    lines.add(new Text(text));
    return this;
  }

  public String render() {
    int labelWidth =
        lines.stream()
            .mapToInt(
                l ->
                    l instanceof Pair p
                        ? p.label().length()
                        : l instanceof Cells c ? c.label().length() : 0)
            .max()
            .orElse(0);
    labelWidth = Math.max(labelWidth, minLabelWidth);
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < lines.size()) {
      Line line = lines.get(i);
      if (line instanceof Title title) {
        out.append('\n').append(title.text()).append('\n');
        out.append("=".repeat(title.rule())).append('\n');
        i++;
      } else if (line instanceof Pair pair) {
        out.append("  ")
            .append(pad(pair.label(), labelWidth))
            .append("  ")
            .append(pair.value())
            .append('\n');
        i++;
      } else if (line instanceof Text text) {
        out.append(text.text()).append('\n');
        i++;
      } else {
        int end = i;
        while (end < lines.size() && lines.get(end) instanceof Cells) {
          end++;
        }
        appendBlock(out, lines.subList(i, end).stream().map(l -> (Cells) l).toList(), labelWidth);
        i = end;
      }
    }
    return out.toString();
  }

  /** A block of cell rows: column widths of its own. */
  private static void appendBlock(StringBuilder out, List<Cells> block, int labelWidth) {
    int columns = block.stream().mapToInt(c -> c.cells().size()).max().orElse(0);
    int[] widths = new int[columns];
    for (Cells c : block) {
      for (int k = 0; k < c.cells().size(); k++) {
        widths[k] = Math.max(widths[k], c.cells().get(k).length());
      }
    }
    for (Cells c : block) {
      StringBuilder row = new StringBuilder("  ").append(pad(c.label(), labelWidth));
      for (int k = 0; k < c.cells().size(); k++) {
        String cell = c.cells().get(k);
        row.append("  ").append(" ".repeat(widths[k] - cell.length())).append(cell);
      }
      out.append(row.toString().stripTrailing()).append('\n');
      if (c.header()) {
        int total = labelWidth;
        for (int w : widths) {
          total += 2 + w;
        }
        out.append("  ").append("-".repeat(total)).append('\n');
      }
    }
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(Math.max(0, width - text.length()));
  }
}
