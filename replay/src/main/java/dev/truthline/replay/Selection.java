package dev.truthline.replay;

import java.util.ArrayList;
import java.util.List;

/**
 * Which defects a replay takes: every kind of selector given must match (a cause, a position, a key, a time);
 * within a kind, any one of its values. {@code --all} takes every defect; without it at least one selector is needed.
 */
public final class Selection {

    /** Cause ids ({@code q-…}, {@code d-…}) as {@code truthline triage} prints them. */
    final List<String> causes = new ArrayList<>();
    /** The defect record's position, or the captured position it stands for. */
    final List<PositionRange> positions = new ArrayList<>();
    /** The record key: its bytes as text, the key as Connect data, or one field of a key struct. */
    final List<String> keys = new ArrayList<>();
    /** The defect record's time at or after this (epoch ms), or null. */
    Long sinceMs;
    boolean all;

    boolean given() {
        return all || !causes.isEmpty() || !positions.isEmpty() || !keys.isEmpty() || sinceMs != null;
    }

    boolean matches(ReplayCandidate c) {
        if (!causes.isEmpty() && selectedCause(c) == null) {
            return false;
        }
        if (!positions.isEmpty() && positions.stream().noneMatch(r -> r.contains(c.at()) || r.contains(c.of()))) {
            return false;
        }
        if (!keys.isEmpty() && keys.stream().noneMatch(c.keyForms()::contains)) {
            return false;
        }
        return sinceMs == null || c.timestamp() >= sinceMs;
    }

    /** The cause a matching defect was selected under: the first of its causes asked for, else its first. */
    String selectedCause(ReplayCandidate c) {
        for (String cause : c.causes()) {
            if (causes.isEmpty() || causes.contains(cause)) {
                return cause;
            }
        }
        return null;
    }
}
