package io.reloader.strategy;

import io.reloader.model.ChangeType;
import io.reloader.model.SourceChange;

import java.util.Optional;

/** Upserts {@code STAKATER_<NAME>_<TYPE>} = hash into the chosen container; removes it on delete (docs/compatibility.md#strategies). */
public final class EnvVarStrategy implements ReloadStrategy {

    @Override
    public boolean apply(TemplatePatch patch, AppliedHashes record, SourceChange change, String container,
                         long nowSeconds) {
        if (!patch.hasContainer(container)) {
            return false;
        }
        String var = EnvVarNames.of(change.ref().name(), change.ref().type());
        Optional<String> current = patch.envValue(container, var);
        if (change.type() == ChangeType.DELETED) {
            if (current.isEmpty()) {
                return false;
            }
            patch.removeEnv(container, var);
            record.remove(change.ref());
            return true;
        }
        if (current.isPresent() && current.get().equals(change.hash())) {
            record.repair(change.ref(), change.hash());
            return false;
        }
        patch.setEnv(container, var, change.hash());
        record.put(change.ref(), change.hash());
        return true;
    }
}
