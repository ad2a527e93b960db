package dev.truthline.cli.lint;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.truthline.cli.connector.ConnectorConfig;

/** TL009: a credential written into the connector config instead of referenced. */
final class PlaintextSecret extends LintRule {
    /** The last segment of a key that names a credential (password, secret-access-key, oauth token, …). */
    private static final Pattern SECRET_SEGMENT = Pattern.compile("password|passwd|secret|token|credential");
    /** Keys ending in .key (and similar) that name a credential rather than a record key. */
    private static final Pattern SECRET_SUFFIX = Pattern.compile(
            "(^|\\.)(sasl\\.jaas\\.config|private[.-]?key|api[.-]?key|access[.-]?key|secret[.-]?key|account[.-]?key"
                    + "|keystore\\.key|basic\\.auth\\.user\\.info|user\\.info)$");
    /** A last segment that names where a secret is, or a switch about it, not the secret itself. */
    private static final Pattern NOT_A_SECRET = Pattern.compile(
            ".*(file|location|path|type|class|enable|enabled|mode|endpoint|url|uri|algorithm|provider|name|id)$");

    PlaintextSecret() {
        super("TL009", "credential in plain text instead of a ${provider:...} ConfigProvider reference",
                "reference a worker ConfigProvider, e.g. ${file:/etc/kafka/secrets/db.properties:password} "
                        + "(config.providers=file on the worker), so the value never enters the config topic or the REST API");
    }

    static boolean looksLikeCredential(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (SECRET_SUFFIX.matcher(k).find()) {
            return true;
        }
        String last = k.substring(k.lastIndexOf('.') + 1);
        return SECRET_SEGMENT.matcher(last).find() && !NOT_A_SECRET.matcher(last).matches();
    }

    /** A connection URL: {@code scheme://…} (also {@code jdbc:sub://…}, {@code mongodb+srv://…}) or any {@code jdbc:} URL. */
    private static final Pattern URL = Pattern.compile("^\\s*([a-z][a-z0-9+.-]*:)+//|^\\s*jdbc:", Pattern.CASE_INSENSITIVE);
    /** {@code user:password@host} right after the {@code //}: a password in the URL's user-info. */
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("://[^/?#@\\s:]*:[^/?#@\\s]+@");
    /** Oracle's {@code jdbc:oracle:thin:user/password@host}. */
    private static final Pattern ORACLE_PASSWORD = Pattern.compile("^\\s*jdbc:oracle:[a-z0-9]+:[^/@:;\\s]+/[^@\\s]+@",
            Pattern.CASE_INSENSITIVE);
    /** A password parameter: {@code ?password=…}, {@code &password=…}, SQL Server's {@code ;password=…}, … */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile(
            "[?&;]\\s*(password|passwd|pwd|sslpassword|secret)\\s*=\\s*[^&;#\\s]", Pattern.CASE_INSENSITIVE);

    /** Where a URL value holds a credential, in words that never include it; null when it holds none. */
    static String credentialInUrl(String value) {
        if (!URL.matcher(value).find()) {
            return null;
        }
        if (USER_INFO_PASSWORD.matcher(value).find() || ORACLE_PASSWORD.matcher(value).find()) {
            return "a password in its user part (user:password@host)";
        }
        Matcher parameter = PASSWORD_PARAMETER.matcher(value);
        if (parameter.find()) {
            return "a " + parameter.group(1).toLowerCase(Locale.ROOT) + "= parameter";
        }
        return null;
    }

    @Override
    void check(ConnectorConfig c, Profile p, List<Finding> out) {
        for (Map.Entry<String, String> e : c.config().entrySet()) {
            String value = e.getValue();
            if (value.isBlank() || ConnectorConfig.isProviderReference(value)) {
                continue;
            }
            // Never print the value.
            if (looksLikeCredential(e.getKey())) {
                out.add(finding(c, p.strictly(), e.getKey(), e.getKey() + " holds a plain-text value: it is "
                        + "stored in the config topic and returned by the REST API"));
                continue;
            }
            String where = credentialInUrl(value);
            if (where != null) {
                out.add(finding(c, p.strictly(), e.getKey(), e.getKey() + " holds a credential inside its URL ("
                        + where + "): it is stored in the config topic and returned by the REST API",
                        "take the password out of the URL: reference the whole URL through a worker ConfigProvider, "
                                + "e.g. ${file:/etc/kafka/secrets/db.properties:url}, or the password part of it, "
                                + "or use the connector's own password key with such a reference"));
            }
        }
    }
}
