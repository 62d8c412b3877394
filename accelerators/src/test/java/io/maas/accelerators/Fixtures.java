package io.maas.accelerators;

import io.maas.api.accelerator.DiscoveryException;
import io.maas.api.accelerator.ToolOutput;
import io.maas.api.accelerator.ToolRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Vendor tool outputs from {@code src/test/resources/accelerators/} (copied from
 * {@code shared/fixtures/accelerators/}, plus variants written for these tests; see the README there),
 * and a {@link ToolRunner} that answers with them.
 */
public final class Fixtures {

    private Fixtures() {
    }

    public static String read(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/accelerators/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The warnings {@code source} logs (System.Logger, which writes to java.util.logging here) while this is open. */
    public static final class Warnings extends Handler implements AutoCloseable {
        private final Logger logger;
        private final List<String> messages = new CopyOnWriteArrayList<>();

        private Warnings(Logger logger) {
            this.logger = logger;
            logger.addHandler(this);
        }

        public static Warnings of(Class<?> source) {
            return new Warnings(Logger.getLogger(source.getName()));
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                messages.add(MessageFormat.format(record.getMessage(), record.getParameters()));
            }
        }

        public List<String> messages() {
            return List.copyOf(messages);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    /** Answers "tool arg…" with the given output, records each call, and reports any other tool as not installed. */
    public static final class FakeTools implements ToolRunner {
        private final Map<String, ToolOutput> outputs;
        private final List<String> calls = new ArrayList<>();

        public FakeTools(Map<String, ToolOutput> outputs) {
            this.outputs = Map.copyOf(outputs);
        }

        public static FakeTools answering(String commandLine, String stdout) {
            return new FakeTools(Map.of(commandLine, ToolOutput.success(stdout)));
        }

        @Override
        public Optional<ToolOutput> run(String tool, List<String> arguments) {
            String commandLine = String.join(" ", tool, String.join(" ", arguments)).strip();
            calls.add(commandLine);
            if (outputs.keySet().stream().noneMatch(key -> key.split(" ")[0].equals(tool))) {
                return Optional.empty();
            }
            ToolOutput output = outputs.get(commandLine);
            if (output == null) {
                throw new DiscoveryException(tool, "the fake was not told how to answer \"" + commandLine + "\"");
            }
            return Optional.of(output);
        }

        public List<String> calls() {
            return List.copyOf(calls);
        }
    }
}
