package dev.truthline.connect.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The Truthline release these classes belong to, as reported by every plugin's {@code version()}. */
public final class TruthlineVersion {

    private static final String VERSION = load();

    private TruthlineVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = TruthlineVersion.class.getResourceAsStream("truthline-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("truthline-version.properties is missing from the Truthline jar");
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
