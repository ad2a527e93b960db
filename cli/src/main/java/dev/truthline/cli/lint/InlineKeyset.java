package dev.truthline.cli.lint;

import java.util.List;
import java.util.Map;

import dev.truthline.cli.connector.ConnectorConfig;
import dev.truthline.cli.connector.ConnectorConfig.Transform;
import dev.truthline.connect.privacy.PrivacyConfig;

/**
 * TL016: a ProtectFields / RevealFields keyset written into the connector config. Connect stores the
 * config as written in its config topic and returns it from {@code GET /connectors/{name}/config}, so
 * an inline keyset is key material in clear for anyone who can read either. An error in every profile:
 * unlike a throw-away database password, a keyset protects data that leaves the development setup.
 */
final class InlineKeyset extends LintRule {

    private static final String SUFFIX = "." + PrivacyConfig.KEYSET;

    InlineKeyset() {
        super("TL016", "privacy keyset written into the connector config instead of referenced",
                "keep the keyset in a file or secret store on the workers and reference it, e.g. "
                        + "${file:/etc/kafka/secrets/orders.properties:token_keyset} or ${env:TRUTHLINE_ORDERS_TOKEN_KEYSET}");
    }

    @Override
    void check(ConnectorConfig c, Profile p, List<Finding> out) {
        for (Transform t : c.transforms()) {
            if (!TruthlineTransforms.isPrivacy(t)) {
                continue;
            }
            for (Map.Entry<String, String> e : t.props().entrySet()) {
                String value = e.getValue();
                if (!e.getKey().endsWith(SUFFIX) || value == null || value.isBlank()
                        || ConnectorConfig.isProviderReference(value)) {
                    continue;
                }
                String key = "transforms." + t.alias() + "." + e.getKey();
                // Never print the value: it is the key material.
                out.add(finding(c, Severity.ERROR, key, key + " holds a keyset in the config itself: it is stored in "
                        + "the config topic and returned by the REST API"));
            }
        }
    }
}
