package dev.truthline.audit.defects;

import java.time.Instant;
import java.util.Map;

import dev.truthline.audit.AuditSettings;
import dev.truthline.audit.ConfigValues;
import dev.truthline.audit.ConnectorDiscovery;

/**
 * The "Defects" section of the audit's HTML page: the triage of the same pipeline over the audited time range (from
 * {@code --since} when the audit was given a time, else everything the topics hold), added before the page's footer.
 * Defects are data: when they cannot be read, the section says why and the audit's verdict stands.
 */
public final class AuditDefects {

    private AuditDefects() {
    }

    /** {@code page} with the defects section added. */
    public static String addTo(String page, Map<String, Map<String, String>> connectors, ConfigValues values,
            AuditSettings settings) {
        StringBuilder section = new StringBuilder(4_096);
        try {
            DefectPlan plan = ConnectorDiscovery.discoverDefects(connectors, values, settings.landing,
                    settings.bootstrapServers);
            Instant since = settings.since.timeMs() == null ? null : Instant.ofEpochMilli(settings.since.timeMs());
            Triage triage = new Triage(since, Instant.now());
            Defects.read(plan, since, triage::add);
            DefectsHtml.section(section, plan, triage.result());
        } catch (Exception e) {
            DefectsHtml.unreadable(section, e.getMessage() == null ? e.toString() : e.getMessage());
        }
        return DefectsHtml.addTo(page, section.toString());
    }
}
