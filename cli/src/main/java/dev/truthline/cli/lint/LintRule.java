package dev.truthline.cli.lint;

import java.util.List;

import dev.truthline.cli.connector.ConnectorConfig;

/** A durability rule with a stable id, checked against one connector's configuration at a time. */
abstract class LintRule {

    final String id;
    /** What the rule catches, for {@code lint --list-rules}. */
    final String title;
    /** The usual fix; a finding may say something more specific. */
    final String fix;

    LintRule(String id, String title, String fix) {
        this.id = id;
        this.title = title;
        this.fix = fix;
    }

    abstract void check(ConnectorConfig connector, Profile profile, List<Finding> findings);

    Finding finding(ConnectorConfig connector, Severity severity, String key, String message) {
        return finding(connector, severity, key, message, fix);
    }

    Finding finding(ConnectorConfig connector, Severity severity, String key, String message, String fix) {
        return new Finding(id, severity, connector.name(), connector.file(), key, message, fix);
    }
}
