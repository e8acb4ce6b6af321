package dev.quantfleet.engine.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtEpDevice;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtHardwareDevice;
import ai.onnxruntime.OrtSession.SessionOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The ONNX Runtime execution provider that the engine's sessions run on: the CPU provider, or a
 * plugin execution provider loaded from a shared library.
 *
 * <p>The CPU provider adds nothing to the session options, so its sessions are the ones
 * {@link OrtSessions} created before plugins existed, with the same numbers. A plugin provider
 * is loaded once per process with {@link #loadPlugin}, which follows the plugin API of ONNX
 * Runtime 1.29.0:
 * <pre>
 *   OrtEnvironment.registerExecutionProviderLibrary(name, library)   once per process
 *   OrtEnvironment.getEpDevices()  ─ keep the devices whose EP name is {@code name}
 *   SessionOptions.addExecutionProvider(devices, options)             every session
 * </pre>
 * Nodes that the plugin does not take run on the CPU provider, which ONNX Runtime always adds last.
 *
 * <p>Two providers are equal when their names, libraries and options are equal.
 */
public final class ExecutionProvider {

    /** Name of ONNX Runtime's CPU execution provider. */
    public static final String CPU_NAME = "CPUExecutionProvider";

    /**
     * Name under which the MIGraphX library of ONNX Runtime offers its devices, as its
     * {@code CreateEpFactories} in {@code migraphx_provider_factory.cc} of the ONNX Runtime sources sets it.
     * NOTE: no MIGraphX library was ever loaded by the tests of this project, which run without AMD GPUs.
     * That the provider takes its GPU from the {@value #DEVICE_ID_OPTION} option rather than from the
     * devices passed to {@code addExecutionProvider} is read from the same source, not measured.
     */
    public static final String MIGRAPHX_NAME = "MIGraphXExecutionProvider";

    /** Provider option that selects the device of the MIGraphX provider, an index from 0. */
    public static final String DEVICE_ID_OPTION = "device_id";

    private static final ExecutionProvider CPU = new ExecutionProvider(CPU_NAME, null, new TreeMap<>(), List.of(),
            "cpu");

    /** Libraries registered with the process-wide environment, by registration name. */
    private static final Map<String, Path> REGISTERED_LIBRARIES = new HashMap<>();

    private final String name;
    private final Path library;
    private final SortedMap<String, String> options;
    private final List<OrtEpDevice> devices;
    private final String device;

    private ExecutionProvider(String name, Path library, SortedMap<String, String> options, List<OrtEpDevice> devices,
                              String device) {
        this.name = name;
        this.library = library;
        this.options = options;
        this.devices = devices;
        this.device = device;
    }

    /** Returns ONNX Runtime's CPU execution provider. */
    public static ExecutionProvider cpu() {
        return CPU;
    }

    /**
     * Loads the plugin execution provider {@code name} from {@code library} and selects every
     * device that the library offers under that name. Loading the same library again returns an
     * equal provider without registering it twice.
     *
     * @param name    the provider name the library reports, e.g. {@value #MIGRAPHX_NAME}
     * @param library the shared library, e.g. {@code libonnxruntime_providers_migraphx.so}
     * @param options provider options passed to every session, e.g. {@code device_id=0}
     * @throws IllegalArgumentException if {@code library} is not a readable regular file
     * @throws OrtException if ONNX Runtime cannot load the library, e.g. because it is no shared
     *                      library or lacks the plugin entry point {@code CreateEpFactories}
     * @throws IllegalStateException if the library offers no device under {@code name}, or
     *                               another library was registered under {@code name} before
     */
    public static ExecutionProvider loadPlugin(String name, Path library, Map<String, String> options)
            throws OrtException {
        Objects.requireNonNull(name, "name");
        if (!Files.isRegularFile(library) || !Files.isReadable(library)) {
            throw new IllegalArgumentException("The execution provider library " + library
                    + " does not exist or is not a readable file");
        }
        Path absolute = library.toAbsolutePath().normalize();
        OrtEnvironment environment = OrtSessions.environment();
        boolean registeredNow = register(environment, name, absolute);
        List<OrtEpDevice> offered = new ArrayList<>();
        List<String> found = new ArrayList<>();
        for (OrtEpDevice epDevice : environment.getEpDevices()) {
            found.add(epDevice.getEpName() + " on " + describe(epDevice.getDevice()));
            if (name.equals(epDevice.getEpName())) {
                offered.add(epDevice);
            }
        }
        if (offered.isEmpty()) {
            if (registeredNow) {
                unregister(environment, name);
            }
            throw new IllegalStateException("The library " + absolute + " offers no device for " + name
                    + "; ONNX Runtime offers only " + found + ". Check that the library is the " + name
                    + " plugin built for ONNX Runtime " + environment.getVersion()
                    + " and that its device is visible to this process");
        }
        SortedMap<String, String> sortedOptions = new TreeMap<>(options);
        return new ExecutionProvider(name, absolute, sortedOptions, List.copyOf(offered),
                describeDevices(offered, sortedOptions));
    }

    private static boolean register(OrtEnvironment environment, String name, Path library) throws OrtException {
        synchronized (REGISTERED_LIBRARIES) {
            Path registered = REGISTERED_LIBRARIES.get(name);
            if (registered != null) {
                if (!registered.equals(library)) {
                    throw new IllegalStateException("The execution provider " + name + " is already loaded from "
                            + registered + ", so it cannot be loaded from " + library + " too; ONNX Runtime keeps one "
                            + "library per name and process");
                }
                return false;
            }
            environment.registerExecutionProviderLibrary(name, library.toString());
            REGISTERED_LIBRARIES.put(name, library);
            return true;
        }
    }

    private static void unregister(OrtEnvironment environment, String name) throws OrtException {
        synchronized (REGISTERED_LIBRARIES) {
            environment.unregisterExecutionProviderLibrary(name);
            REGISTERED_LIBRARIES.remove(name);
        }
    }

    /** Returns the name that ONNX Runtime reports, e.g. {@code CPUExecutionProvider}. */
    public String name() {
        return name;
    }

    /** Returns the plugin library; empty for the CPU provider. */
    public Optional<Path> library() {
        return Optional.ofNullable(library);
    }

    /** Returns the provider options passed to every session, sorted by key; empty for the CPU provider. */
    public SortedMap<String, String> options() {
        return Collections.unmodifiableSortedMap(options);
    }

    /**
     * Returns the hardware the provider runs on: {@code cpu} for the CPU provider; for a plugin, the type,
     * vendor and PCI ids that ONNX Runtime reports for each device, then the {@value #DEVICE_ID_OPTION}
     * option when set, e.g. {@code GPU AMD (vendor 0x1002, device 0x74a1), device_id 0}.
     */
    public String device() {
        return device;
    }

    public boolean isCpu() {
        return library == null;
    }

    /** Adds this provider to {@code sessionOptions}; nothing for the CPU provider. */
    void addTo(SessionOptions sessionOptions) throws OrtException {
        if (!isCpu()) {
            sessionOptions.addExecutionProvider(devices, options);
        }
    }

    private static String describeDevices(List<OrtEpDevice> devices, Map<String, String> options) {
        List<String> descriptions = new ArrayList<>();
        for (OrtEpDevice epDevice : devices) {
            descriptions.add(describe(epDevice.getDevice()));
        }
        String described = String.join("; ", descriptions);
        String deviceId = options.get(DEVICE_ID_OPTION);
        return deviceId == null ? described : described + ", " + DEVICE_ID_OPTION + " " + deviceId;
    }

    private static String describe(OrtHardwareDevice device) {
        return String.format("%s %s (vendor 0x%04x, device 0x%04x)", device.getType(), device.getVendor(),
                device.getVendorId(), device.getDeviceId());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExecutionProvider provider && name.equals(provider.name)
                && Objects.equals(library, provider.library) && options.equals(provider.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, library, options);
    }

    @Override
    public String toString() {
        return isCpu() ? name : name + " from " + library + " with options " + options + " on " + device;
    }
}
