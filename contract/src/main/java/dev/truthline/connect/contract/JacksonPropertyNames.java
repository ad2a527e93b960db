package dev.truthline.connect.contract;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.hibernate.validator.spi.nodenameprovider.JavaBeanProperty;
import org.hibernate.validator.spi.nodenameprovider.Property;
import org.hibernate.validator.spi.nodenameprovider.PropertyNodeNameProvider;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;

/**
 * Names the nodes of Bean Validation property paths the way a Jackson mapper names the properties
 * when it reads them, so that a violation's path is written as in the data it was read from: the
 * ODCS key {@code enum} rather than the Java name {@code enumValues}, or the record field
 * {@code customer_id} rather than {@code customerId} under a snake_case naming strategy.
 */
public final class JacksonPropertyNames implements PropertyNodeNameProvider {

    private final ObjectMapper mapper;
    private final ConcurrentMap<Class<?>, Map<String, String>> byClass = new ConcurrentHashMap<>();

    public JacksonPropertyNames(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public String getName(Property property) {
        if (property instanceof JavaBeanProperty) {
            JavaBeanProperty bean = (JavaBeanProperty) property;
            String external = byClass.computeIfAbsent(bean.getDeclaringClass(), this::names).get(property.getName());
            if (external != null) {
                return external;
            }
        }
        return property.getName();
    }

    /** Java property name to the name Jackson reads it by, for one class. */
    private Map<String, String> names(Class<?> type) {
        Map<String, String> names = new HashMap<>();
        try {
            BeanDescription description = mapper.getDeserializationConfig().introspect(mapper.constructType(type));
            for (BeanPropertyDefinition property : description.findProperties()) {
                names.put(property.getInternalName(), property.getName());
            }
        } catch (RuntimeException e) {
            // Not a class Jackson can describe: Java names it is.
        }
        return names;
    }
}
