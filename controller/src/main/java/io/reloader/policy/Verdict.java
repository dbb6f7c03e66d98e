package io.reloader.policy;

import io.reloader.model.AnnotationProblem;
import io.reloader.model.Decision;

import java.util.List;

/** A decision plus the invalid pattern items met while making it (Reloader logs each one, every time). */
public record Verdict(Decision decision, List<AnnotationProblem> invalidPatterns) {
    public Verdict {
        invalidPatterns = List.copyOf(invalidPatterns);
    }

    public boolean reload() {
        return decision instanceof Decision.Reload;
    }
}
