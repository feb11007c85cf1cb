package io.cfmesos.plugin.checks;

import io.cfmesos.plugin.Findings;

/** A group of checks over one topology model. */
public interface Check {

    void run(ValidationContext ctx, Findings findings);
}
