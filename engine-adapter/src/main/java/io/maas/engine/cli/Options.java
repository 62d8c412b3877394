package io.maas.engine.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} options and the {@code --json} switch of one subcommand. */
record Options(Map<String, String> values, boolean json) {

    static Options parse(List<String> arguments, List<String> valued) {
        Map<String, String> values = new HashMap<>();
        boolean json = false;
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (argument.equals("--json")) {
                json = true;
            } else if (valued.contains(argument)) {
                if (i + 1 >= arguments.size() || arguments.get(i + 1).startsWith("--")) {
                    throw new IllegalArgumentException(argument + " needs a value");
                }
                values.put(argument, arguments.get(++i));
            } else {
                throw new IllegalArgumentException("unknown option \"" + argument + "\"");
            }
        }
        return new Options(Map.copyOf(values), json);
    }

    String get(String name) {
        return values.get(name);
    }

    Integer integer(String name) {
        String value = values.get(name);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a whole number, was \"" + value + "\"", e);
        }
    }
}
