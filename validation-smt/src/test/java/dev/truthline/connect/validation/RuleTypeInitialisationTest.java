package dev.truthline.connect.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RuleTypeInitialisationTest {

    /**
     * Each rule class declares its type as a subclass of RuleType; the list of all types refers back to those
     * declarations. Initialised in a fresh class loader with a rule class first (as a CEL rule compiled directly
     * is), the list must still hold every type: none missing, none null.
     */
    @Test
    void theTypeListIsWholeWhicheverRuleClassIsInitialisedFirst() throws Exception {
        for (String first : List.of("CelRule", "RegexRule", "RuleType")) {
            try (URLClassLoader loader = new URLClassLoader(classPath(), ClassLoader.getPlatformClassLoader())) {
                Class.forName(RuleType.class.getPackageName() + "." + first, true, loader);
                Method all = Class.forName(RuleType.class.getName(), true, loader).getDeclaredMethod("all");
                all.setAccessible(true);
                List<?> types = (List<?>) all.invoke(null);
                assertThat(types).as("initialised %s first", first).hasSize(RuleType.all().size()).doesNotContainNull();
            }
        }
    }

    private static URL[] classPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        return urls.toArray(URL[]::new);
    }
}
