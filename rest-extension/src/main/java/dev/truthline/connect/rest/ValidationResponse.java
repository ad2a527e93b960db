package dev.truthline.connect.rest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConfigValueInfo;

import dev.truthline.connect.core.config.ConfigProblem;

/** Truthline's configuration errors in the shapes of Connect's own REST answers. */
public final class ValidationResponse {

    private ValidationResponse() {
    }

    /**
     * {@code infos} with {@code errors} added, as Connect's {@code config/validate} would have reported
     * them: an error goes into the entry of its key (a new entry without definition when Connect has
     * none, carrying the submitted value) and {@code error_count} grows by one per error added. A key
     * Connect already reports an error on keeps Connect's errors only: its own validators have seen the
     * same value, and one mistake should not count twice.
     *
     * @param submitted the configuration as submitted, for the value of new entries
     */
    public static ConfigInfos withErrors(ConfigInfos infos, List<ConfigProblem> errors, Map<String, String> submitted) {
        if (errors.isEmpty()) {
            return infos;
        }
        List<ConfigInfo> configs = new ArrayList<>(infos.configs());
        Map<String, Integer> indexByKey = new HashMap<>();
        for (int i = 0; i < configs.size(); i++) {
            String key = keyOf(configs.get(i));
            if (key != null) {
                indexByKey.putIfAbsent(key, i);
            }
        }
        int added = 0;
        for (ConfigProblem error : errors) {
            Integer index = indexByKey.get(error.key());
            if (index == null) {
                configs.add(new ConfigInfo(null, new ConfigValueInfo(error.key(), submitted.get(error.key()),
                        List.of(), List.of(error.message()), true)));
                indexByKey.put(error.key(), configs.size() - 1);
                added++;
                continue;
            }
            ConfigInfo entry = configs.get(index);
            ConfigValueInfo value = entry.configValue();
            if (value == null) {
                value = new ConfigValueInfo(error.key(), submitted.get(error.key()), List.of(), List.of(), true);
            } else if (!value.errors().isEmpty()) {
                continue;
            }
            configs.set(index, new ConfigInfo(entry.configKey(), new ConfigValueInfo(value.name(), value.value(),
                    value.recommendedValues(), List.of(error.message()), value.visible())));
            added++;
        }
        return new ConfigInfos(infos.name(), infos.errorCount() + added, infos.groups(), configs);
    }

    /**
     * The message of the 400 answer to a create or update with {@code errors}, worded as Connect words
     * its own: a count, then one line per error. Every line names its key: the message where it does,
     * else {@code key: message}.
     */
    public static String rejection(List<ConfigProblem> errors) {
        StringBuilder message = new StringBuilder("Connector configuration is invalid and contains the following ")
                .append(errors.size()).append(" error(s):");
        for (ConfigProblem error : errors) {
            message.append('\n');
            if (!error.message().contains(error.key())) {
                message.append(error.key()).append(": ");
            }
            message.append(error.message());
        }
        return message.append("\nYou can also find the above list of errors at the endpoint "
                + "`/connector-plugins/{connectorType}/config/validate`").toString();
    }

    private static String keyOf(ConfigInfo info) {
        if (info.configValue() != null) {
            return info.configValue().name();
        }
        return info.configKey() == null ? null : info.configKey().name();
    }
}
