package io.cfmesos.plugin;

import java.util.ArrayList;
import java.util.List;

/** Collects findings in the order checks report them. */
public final class Findings {

    private final List<Finding> list = new ArrayList<>();

    public void error(CheckCode code, String location, String message) {
        list.add(new Finding(Severity.ERROR, code, location, message));
    }

    public void warn(CheckCode code, String location, String message) {
        list.add(new Finding(Severity.WARNING, code, location, message));
    }

    public void info(CheckCode code, String location, String message) {
        list.add(new Finding(Severity.INFO, code, location, message));
    }

    public List<Finding> all() {
        return List.copyOf(list);
    }

    public boolean hasErrors() {
        return list.stream().anyMatch(f -> f.severity() == Severity.ERROR);
    }

    /** Forwards every finding to an Alien4Cloud-shaped logger. */
    public void reportTo(ValidationLogger logger) {
        for (Finding f : list) {
            switch (f.severity()) {
                case ERROR -> logger.error(f.text());
                case WARNING -> logger.warn(f.text());
                case INFO -> logger.info(f.text());
            }
        }
    }
}
