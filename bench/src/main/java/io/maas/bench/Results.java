package io.maas.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark's result table: printed to the console and saved as Markdown under
 * {@code bench/results/<name>-<timestamp>.md}, headed by the machine it ran on.
 */
public final class Results {

    private final String name;
    private final String title;
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String[]> sections = new ArrayList<>();

    public Results(String name, String title, String... header) {
        this.name = name;
        this.title = title;
        this.header = List.of(header);
    }

    public void row(Object... cells) {
        rows.add(java.util.Arrays.stream(cells).map(String::valueOf).toList());
    }

    public void note(String note) {
        notes.add(note);
    }

    /** A titled block of preformatted text after the notes (a profile's top frames). */
    public void section(String title, String text) {
        sections.add(new String[] {title, text});
    }

    /** Prints the table and writes it under {@code dir}; returns the file written. */
    public Path save(Path dir) {
        String text = render();
        System.out.println();
        System.out.println(text);
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md");
            Files.writeString(file, text);
            System.out.println("saved " + file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String render() {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        var out = new StringBuilder("# ").append(title).append("\n\n")
                .append("Machine: ").append(Machine.describe()).append("\n\n");
        line(out, header, widths);
        out.append('|');
        for (int width : widths) {
            out.append("-".repeat(width + 2)).append('|');
        }
        out.append('\n');
        rows.forEach(row -> line(out, row, widths));
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(n -> out.append("- ").append(n).append('\n'));
        }
        sections.forEach(s -> out.append("\n## ").append(s[0]).append("\n\n```\n").append(s[1].strip()).append("\n```\n"));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        out.append('|');
        for (int i = 0; i < widths.length; i++) {
            out.append(' ').append(String.format("%-" + widths[i] + "s", cells.get(i))).append(" |");
        }
        out.append('\n');
    }
}
