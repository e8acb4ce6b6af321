package dev.quantfleet.worker;

import ai.onnxruntime.OrtException;
import dev.quantfleet.engine.runtime.ExecutionProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the worker settings {@value #PROVIDER_SETTING}, {@value #LIBRARY_SETTING} and
 * {@value #OPTIONS_SETTING}{@code .<key>} into the {@link ExecutionProvider} of every session.
 * {@code migraphx} loads the library at once, so a wrong setting fails at start with an
 * {@link InvalidWorkerSettingException} instead of failing every task.
 */
public final class ExecutionProviderSelection {

    static final String PROVIDER_SETTING = "quantfleet.worker.execution-provider";
    static final String LIBRARY_SETTING = "quantfleet.worker.provider-library";
    static final String OPTIONS_SETTING = "quantfleet.worker.provider-options";
    static final String OPTIONS_ENVIRONMENT_PREFIX = "QUANTFLEET_WORKER_PROVIDER_OPTIONS_";

    /** Values of {@value #PROVIDER_SETTING}. */
    public static final List<String> PROVIDERS = List.of("cpu", "migraphx");

    /** Example path of the MIGraphX plugin library, used in messages. */
    static final String MIGRAPHX_LIBRARY_EXAMPLE = "/opt/onnxruntime/lib/libonnxruntime_providers_migraphx.so";

    private static final Logger LOG = LoggerFactory.getLogger(ExecutionProviderSelection.class);

    private ExecutionProviderSelection() {
    }

    /**
     * Returns the provider the settings name.
     *
     * @param provider the value of {@value #PROVIDER_SETTING}, case-insensitive
     * @param library  the value of {@value #LIBRARY_SETTING}
     * @param options  the entries under {@value #OPTIONS_SETTING}
     * @throws InvalidWorkerSettingException if a setting is invalid, or if ONNX Runtime cannot
     *                                       load the library or finds no device for it. The
     *                                       message names the setting, its value and the fix.
     */
    public static ExecutionProvider select(String provider, Optional<String> library, Map<String, String> options) {
        String name = provider.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "cpu" -> cpu(library, options);
            case "migraphx" -> migraphx(library, options);
            default -> throw new InvalidWorkerSettingException(PROVIDER_SETTING + " is '" + provider
                    + "'; it must be one of " + PROVIDERS + ". Set it to cpu, or to migraphx for AMD GPUs with "
                    + LIBRARY_SETTING + " set to the MIGraphX plugin library, e.g. " + MIGRAPHX_LIBRARY_EXAMPLE
                    + " (ONNX Runtime 1.29 has no built-in ROCm provider)");
        };
    }

    private static ExecutionProvider cpu(Optional<String> library, Map<String, String> options) {
        if (library.isPresent() || !options.isEmpty()) {
            LOG.warn("{} is cpu, so {} ({}) and {} ({}) are ignored", PROVIDER_SETTING, LIBRARY_SETTING,
                    library.orElse("unset"), OPTIONS_SETTING, options);
        }
        return ExecutionProvider.cpu();
    }

    /**
     * Rejects environment variables that look like provider options, because SmallRye Config
     * 3.16 does not read an upper-case name such as {@code QUANTFLEET_WORKER_PROVIDER_OPTIONS_DEVICE_ID}
     * into the options, so the option would be silently ignored.
     *
     * @throws InvalidWorkerSettingException naming the variables and where to set the options instead
     */
    public static void checkEnvironment(Map<String, String> environment) {
        List<String> names = environment.keySet().stream().filter(name -> name.startsWith(OPTIONS_ENVIRONMENT_PREFIX))
                .sorted().toList();
        if (!names.isEmpty()) {
            throw new InvalidWorkerSettingException("The environment variables " + names + " cannot set " + OPTIONS_SETTING
                    + ".<key>, because their names do not keep the key; set the options as system properties, e.g. "
                    + "JAVA_TOOL_OPTIONS=-D" + OPTIONS_SETTING + ".device_id=0, or in config/application.properties "
                    + "in the working directory, and remove the variables");
        }
    }

    private static ExecutionProvider migraphx(Optional<String> library, Map<String, String> options) {
        List<String> dottedKeys = options.keySet().stream().filter(key -> key.contains(".")).sorted().toList();
        if (!dottedKeys.isEmpty()) {
            throw new InvalidWorkerSettingException(OPTIONS_SETTING + " has the keys " + dottedKeys + ", but provider "
                    + "option keys contain no dot, e.g. device_id. An environment variable named like "
                    + OPTIONS_SETTING + ".device_id also adds the key device.id; set the options as system properties "
                    + "or in config/application.properties instead");
        }
        if (library.isEmpty() || library.get().isBlank()) {
            throw new InvalidWorkerSettingException(PROVIDER_SETTING + " is migraphx, but " + LIBRARY_SETTING
                    + " is not set; set it to the path of the MIGraphX plugin library, e.g. "
                    + MIGRAPHX_LIBRARY_EXAMPLE + ", or set " + PROVIDER_SETTING + " to cpu");
        }
        Path path = Path.of(library.get());
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new InvalidWorkerSettingException(LIBRARY_SETTING + " is '" + library.get() + "', which does not "
                    + "exist or is not a readable file; mount the MIGraphX plugin library there (e.g. from an ONNX "
                    + "Runtime 1.29 install with MIGraphX) or correct the path");
        }
        try {
            ExecutionProvider loaded = ExecutionProvider.loadPlugin(ExecutionProvider.MIGRAPHX_NAME, path, options);
            LOG.info("Loaded {} from {} with options {} on {}", loaded.name(), path, options, loaded.device());
            return loaded;
        } catch (OrtException e) {
            throw new InvalidWorkerSettingException("ONNX Runtime failed to load " + LIBRARY_SETTING + " '"
                    + library.get() + "': " + e.getMessage() + ". Point it to the MIGraphX plugin execution provider "
                    + "library built for ONNX Runtime 1.29, e.g. " + MIGRAPHX_LIBRARY_EXAMPLE, e);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new InvalidWorkerSettingException(LIBRARY_SETTING + " is '" + library.get() + "': "
                    + e.getMessage(), e);
        }
    }
}
