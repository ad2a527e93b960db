package dev.truthline.connect.validation;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Struct;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.HibernateValidatorConfiguration;
import org.hibernate.validator.messageinterpolation.ExpressionLanguageFeatureLevel;
import org.hibernate.validator.messageinterpolation.HibernateMessageInterpolatorContext;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.truthline.connect.contract.ElementPaths;
import dev.truthline.connect.contract.JacksonPropertyNames;
import dev.truthline.connect.contract.OdcsParser;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.MessageInterpolator;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.ValidationException;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.metadata.BeanDescriptor;
import jakarta.validation.metadata.ConstraintDescriptor;
import jakarta.validation.metadata.ContainerDescriptor;
import jakarta.validation.metadata.ContainerElementTypeDescriptor;
import jakarta.validation.metadata.PropertyDescriptor;

import dev.truthline.connect.core.KeyedConfigException;

/**
 * {@code contract.class}: a record or POJO with Jakarta Bean Validation constraints. Each record (the
 * Debezium row image, the value, or the key) is bound to the class with Jackson, snake_case field
 * names to camelCase properties, and validated with Hibernate Validator. Every constraint violation
 * becomes a violation of rule {@code bean:<Constraint>} (e.g. {@code bean:NotNull}) at its property
 * path written in the record's own field names ({@code items[1].qty}); a value that cannot be bound
 * (a string where an int belongs) is a violation of {@code bean:mapping}, never a crash.
 *
 * <p>One {@link ValidatorFactory} per instance, closed with it. Messages are interpolated with
 * Jakarta EL (Hibernate's default messages use it); the validated value is hidden from them unless
 * {@code violations.include.values=true}, so a message such as {@code @LuhnCheck}'s cannot copy a
 * card number into headers or logs.
 */
final class BeanContract implements AutoCloseable {

    static final String RULE_PREFIX = "bean:";
    /** A record that cannot be bound to the class. */
    static final String MAPPING_RULE = RULE_PREFIX + "mapping";
    /** The class's constraints could not be evaluated (a constraint on a type it does not support, a failing validator). */
    static final String ERROR_RULE = RULE_PREFIX + "error";
    static final String HIDDEN_VALUE = "(value hidden)";

    private final Class<?> type;
    private final ObjectMapper mapper;
    private final ObjectReader reader;
    private final ValidatorFactory factory;
    private final Validator validator;
    private final List<String> ruleNames;

    private BeanContract(Class<?> type, ObjectMapper mapper, ValidatorFactory factory) {
        this.type = type;
        this.mapper = mapper;
        this.reader = mapper.readerFor(type);
        this.factory = factory;
        this.validator = factory.getValidator();
        this.ruleNames = ruleNames(validator, type);
    }

    /**
     * Loads the class and builds its validator.
     *
     * @throws ConfigException naming {@code contract.class} when the class cannot be loaded, bound or validated
     */
    static BeanContract create(String className, boolean includeValues) {
        Class<?> type = load(className);
        ObjectMapper mapper = mapper();
        checkBindable(className, type, mapper);
        ValidatorFactory factory = factory(className, type, mapper, includeValues);
        try {
            return new BeanContract(type, mapper, factory);
        } catch (ValidationException e) {
            factory.close();
            throw new KeyedConfigException(ContractSources.CONTRACT_CLASS, className,
                    "its constraints are not valid: " + e.getMessage());
        }
    }

    /** The validator of {@code contract.class}: the class loads, Jackson can bind to it, its constraints are valid. */
    static ConfigDef.Validator classValidator() {
        return ConfigDef.LambdaValidator.with((key, value) -> {
            if (!ContractSources.isUnset(value)) {
                create((String) value, false).close();
            }
        }, () -> "a record or class with Jakarta Bean Validation constraints, on the plugin path");
    }

    /** The rules this class can report, {@code bean:mapping} and {@code bean:error} included, sorted. */
    List<String> ruleNames() {
        return ruleNames;
    }

    /** Binds the record's row (or value, or key) to the class and adds what fails to the verdict. */
    void evaluate(RecordView record, Verdict verdict) {
        Object target = record.target();
        if (!(target instanceof Struct) && !(target instanceof Map)) {
            verdict.add(MAPPING_RULE, RuleSeverity.ERROR, "", "expected a struct or map to bind to " + type.getSimpleName()
                    + " but was " + TypeNames.of(target), target);
            return;
        }
        Object bean;
        try {
            TokenBuffer tokens = new TokenBuffer(mapper, false);
            ConnectTokens.write(tokens, target, record.targetSchema());
            try (JsonParser parser = tokens.asParser()) {
                bean = reader.readValue(parser);
            }
        } catch (JsonMappingException e) {
            verdict.add(MAPPING_RULE, RuleSeverity.ERROR, ElementPaths.of(e.getPath()), mappingProblem(e), null);
            return;
        } catch (IOException e) {
            verdict.add(MAPPING_RULE, RuleSeverity.ERROR, "", "cannot be bound to " + type.getSimpleName() + " ("
                    + e.getClass().getSimpleName() + ")", null);
            return;
        }
        Set<ConstraintViolation<Object>> violations;
        try {
            violations = validator.validate(bean);
        } catch (ValidationException e) {
            verdict.add(ERROR_RULE, RuleSeverity.ERROR, "", "the constraints of " + type.getSimpleName()
                    + " could not be evaluated: " + e.getMessage(), null);
            return;
        }
        if (violations.isEmpty()) {
            return;
        }
        // Sorted, so that each rule's violations are adjacent (the verdict lists rule names by adjacency)
        // and the order does not depend on hashing.
        List<Found> found = new ArrayList<>(violations.size());
        for (ConstraintViolation<Object> violation : violations) {
            found.add(new Found(ruleName(violation.getConstraintDescriptor()), OdcsParser.path(violation), violation));
        }
        found.sort(Comparator.comparing(Found::rule).thenComparing(Found::field, ElementPaths::compare)
                .thenComparing(f -> f.violation().getMessage()));
        for (Found f : found) {
            verdict.add(f.rule(), RuleSeverity.ERROR, f.field(), f.violation().getMessage(), f.violation().getInvalidValue());
        }
    }

    private record Found(String rule, String field, ConstraintViolation<Object> violation) {
    }

    @Override
    public void close() {
        factory.close();
    }

    // ------------------------------------------------------------------------------------------ building

    /** Loads the class from the plugin's class loader, else the thread's context class loader. */
    private static Class<?> load(String className) {
        String name = className.trim();
        Set<ClassLoader> loaders = new LinkedHashSet<>();
        loaders.add(BeanContract.class.getClassLoader());
        if (Thread.currentThread().getContextClassLoader() != null) {
            loaders.add(Thread.currentThread().getContextClassLoader());
        }
        Class<?> type = null;
        LinkageError broken = null;
        for (ClassLoader loader : loaders) {
            try {
                type = Class.forName(name, false, loader);
                break;
            } catch (ClassNotFoundException e) {
                // try the next loader
            } catch (LinkageError e) {
                broken = e;
            }
        }
        if (type == null) {
            throw new KeyedConfigException(ContractSources.CONTRACT_CLASS, className, broken != null
                    ? "the class cannot be loaded: " + broken
                    : "no such class: put the jar that holds it in the Truthline plugin directory");
        }
        if (type.isInterface() || type.isPrimitive() || type.isArray() || type.isEnum()
                || Modifier.isAbstract(type.getModifiers())) {
            throw new KeyedConfigException(ContractSources.CONTRACT_CLASS, className,
                    "must be a record or a concrete class, not an interface, abstract class, enum or array");
        }
        return type;
    }

    /**
     * The mapper records are bound with: snake_case names, unknown fields ignored, and no silent type
     * conversions (a decimal does not become an int, a string not a number, a number not a string, a null
     * not a primitive 0), because a wrong type is what a contract is there to catch.
     */
    static ObjectMapper mapper() {
        JsonMapper mapper = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .addModule(new JavaTimeModule())
                .build();
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        for (LogicalType scalar : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(scalar).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        return mapper;
    }

    /**
     * Binds an empty object to the class once: a class Jackson cannot make (no usable constructor, conflicting
     * properties) fails here with an {@link InvalidDefinitionException}, while problems of the (empty) data
     * itself are no concern of configuration.
     */
    private static void checkBindable(String className, Class<?> type, ObjectMapper mapper) {
        try {
            mapper.readerFor(type).readValue("{}");
        } catch (InvalidDefinitionException e) {
            throw new KeyedConfigException(ContractSources.CONTRACT_CLASS, className,
                    "Jackson cannot bind records to it: " + firstLine(e.getMessage()));
        } catch (IOException | RuntimeException e) {
            // A problem of the empty data, not of the class.
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static ValidatorFactory factory(String className, Class<?> type, ObjectMapper mapper,
            boolean includeValues) {
        // Hibernate Validator finds its Jakarta EL implementation through the context class loader; under
        // plugin isolation that must be the plugin's own loader, which holds both.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(BeanContract.class.getClassLoader());
        try {
            HibernateValidatorConfiguration configuration = Validation.byProvider(HibernateValidator.class)
                    .providerResolver(() -> List.of(new HibernateValidator()))
                    .configure()
                    .ignoreXmlConfiguration()
                    // The class's own ValidationMessages bundle sits beside it.
                    .externalClassLoader(type.getClassLoader())
                    .locales(Locale.ROOT)
                    .defaultLocale(Locale.ROOT)
                    .propertyNodeNameProvider(new JacksonPropertyNames(mapper));
            MessageInterpolator messages = configuration.getDefaultMessageInterpolator();
            configuration.messageInterpolator(includeValues ? messages : new ValueHidingInterpolator(messages));
            return configuration.buildValidatorFactory();
        } catch (ValidationException e) {
            throw new KeyedConfigException(ContractSources.CONTRACT_CLASS, className,
                    "cannot build its validator: " + e.getMessage());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    // ------------------------------------------------------------------------------------------ rule names

    static String ruleName(ConstraintDescriptor<?> constraint) {
        return RULE_PREFIX + constraint.getAnnotation().annotationType().getSimpleName();
    }

    /**
     * Every constraint the class and the classes it cascades to ({@code @Valid} on a property, on a type
     * argument, or on a container) can report, as rule names.
     */
    private static List<String> ruleNames(Validator validator, Class<?> root) {
        Set<String> names = new TreeSet<>();
        names.add(MAPPING_RULE);
        names.add(ERROR_RULE);
        collect(validator, root, names, new HashSet<>());
        return List.copyOf(names);
    }

    private static void collect(Validator validator, Class<?> type, Set<String> names, Set<Class<?>> seen) {
        if (type == null || !seen.add(type) || type.isPrimitive() || type.getName().startsWith("java.")) {
            return;
        }
        BeanDescriptor bean = validator.getConstraintsForClass(type);
        constraints(bean.getConstraintDescriptors(), names);
        for (PropertyDescriptor property : bean.getConstrainedProperties()) {
            constraints(property.getConstraintDescriptors(), names);
            containers(validator, property, names, seen);
            if (property.isCascaded()) {
                collect(validator, property.getElementClass(), names, seen);
            }
        }
    }

    private static void containers(Validator validator, ContainerDescriptor container, Set<String> names,
            Set<Class<?>> seen) {
        for (ContainerElementTypeDescriptor element : container.getConstrainedContainerElementTypes()) {
            constraints(element.getConstraintDescriptors(), names);
            if (element.isCascaded()) {
                collect(validator, element.getElementClass(), names, seen);
            }
            containers(validator, element, names, seen);
        }
    }

    private static void constraints(Set<ConstraintDescriptor<?>> constraints, Set<String> names) {
        for (ConstraintDescriptor<?> constraint : constraints) {
            names.add(ruleName(constraint));
            if (!constraint.isReportAsSingleViolation()) {
                constraints(constraint.getComposingConstraints(), names);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ messages

    /** Why a record could not be bound, without its values. */
    private String mappingProblem(JsonMappingException e) {
        if (e instanceof InvalidFormatException && ((InvalidFormatException) e).getTargetType() != null
                && ((InvalidFormatException) e).getTargetType().isEnum()) {
            return "is not one of the values of " + ((InvalidFormatException) e).getTargetType().getSimpleName();
        }
        if (e instanceof MismatchedInputException) {
            Class<?> target = ((MismatchedInputException) e).getTargetType();
            String original = e.getOriginalMessage();
            if (original != null && original.startsWith("Cannot map `null`")) {
                return "is null, which " + typeName(target) + " cannot hold";
            }
            if (target != null) {
                return "cannot be read as " + typeName(target);
            }
        }
        return "cannot be bound to " + type.getSimpleName() + " (" + e.getClass().getSimpleName() + ")";
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "the property";
        }
        if (type == String.class || type == CharSequence.class) {
            return "text";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a map";
        }
        if (type == BigDecimal.class || type == BigInteger.class) {
            return type.getSimpleName();
        }
        return type.isPrimitive() ? type.getName() : type.getSimpleName();
    }

    /** Interpolates messages as the delegate does, but with the validated value hidden. */
    private static final class ValueHidingInterpolator implements MessageInterpolator {
        private final MessageInterpolator delegate;

        ValueHidingInterpolator(MessageInterpolator delegate) {
            this.delegate = delegate;
        }

        @Override
        public String interpolate(String template, Context context) {
            return delegate.interpolate(template, new ValueHiddenContext(context));
        }

        @Override
        public String interpolate(String template, Context context, Locale locale) {
            return delegate.interpolate(template, new ValueHiddenContext(context), locale);
        }
    }

    /** A message context whose validated value is {@link #HIDDEN_VALUE}; everything else is the original's. */
    private static final class ValueHiddenContext implements HibernateMessageInterpolatorContext {
        private final MessageInterpolator.Context context;
        private final HibernateMessageInterpolatorContext hibernate;

        ValueHiddenContext(MessageInterpolator.Context context) {
            this.context = context;
            this.hibernate = context instanceof HibernateMessageInterpolatorContext
                    ? (HibernateMessageInterpolatorContext) context : null;
        }

        @Override
        public ConstraintDescriptor<?> getConstraintDescriptor() {
            return context.getConstraintDescriptor();
        }

        @Override
        public Object getValidatedValue() {
            return HIDDEN_VALUE;
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            if (type.isInstance(this)) {
                return type.cast(this);
            }
            return context.unwrap(type);
        }

        @Override
        public Class<?> getRootBeanType() {
            return hibernate == null ? null : hibernate.getRootBeanType();
        }

        @Override
        public Map<String, Object> getMessageParameters() {
            return hibernate == null ? Map.of() : hibernate.getMessageParameters();
        }

        @Override
        public Map<String, Object> getExpressionVariables() {
            return hibernate == null ? Map.of() : hibernate.getExpressionVariables();
        }

        @Override
        public Path getPropertyPath() {
            return hibernate == null ? null : hibernate.getPropertyPath();
        }

        @Override
        public ExpressionLanguageFeatureLevel getExpressionLanguageFeatureLevel() {
            return hibernate == null ? ExpressionLanguageFeatureLevel.DEFAULT : hibernate.getExpressionLanguageFeatureLevel();
        }
    }
}
