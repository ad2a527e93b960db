package dev.truthline.connect.harness;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reading MBean attributes: from a JVM's JMX remote port (a forked broker or worker), or from any
 * {@link MBeanServerConnection} (this JVM's platform server for in-process workers). The connection opens on
 * first use and again after {@link #close}.
 */
public final class JmxReader implements AutoCloseable {

    private final int port;
    private JMXConnector connector;

    public JmxReader(int port) {
        this.port = port;
    }

    /** The JVM options that open JMX remote on {@code port} without authentication, for localhost only. */
    public static List<String> jvmOptions(int port) {
        return List.of("-Dcom.sun.management.jmxremote.port=" + port,
                "-Dcom.sun.management.jmxremote.rmi.port=" + port,
                "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false",
                "-Dcom.sun.management.jmxremote.host=localhost",
                "-Djava.rmi.server.hostname=localhost");
    }

    public synchronized MBeanServerConnection server() throws IOException {
        if (connector == null) {
            connector = JMXConnectorFactory.connect(new JMXServiceURL(
                    "service:jmx:rmi:///jndi/rmi://localhost:" + port + "/jmxrmi"));
        }
        return connector.getMBeanServerConnection();
    }

    /** The attributes of every MBean matching the pattern, by object name. */
    public Map<String, Map<String, Double>> read(String pattern, List<String> attributes) throws Exception {
        return read(server(), pattern, attributes);
    }

    /** The attributes of every MBean matching the pattern, by object name; a non-numeric attribute reads NaN. */
    public static Map<String, Map<String, Double>> read(MBeanServerConnection server, String pattern,
            List<String> attributes) throws Exception {
        Map<String, Map<String, Double>> result = new TreeMap<>();
        for (ObjectName name : server.queryNames(new ObjectName(pattern), null)) {
            Map<String, Double> values = new LinkedHashMap<>();
            for (String attribute : attributes) {
                Object value = server.getAttribute(name, attribute);
                values.put(attribute, value instanceof Number n ? n.doubleValue() : Double.NaN);
            }
            result.put(name.toString(), values);
        }
        return result;
    }

    @Override
    public synchronized void close() {
        if (connector != null) {
            try {
                connector.close();
            } catch (IOException ignored) {
                // the JVM is going away
            }
            connector = null;
        }
    }
}
