package dev.quantfleet.coordinator.requantize;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.messages.ModelReference;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Copies the object of a bucket notification into the artifact store. A notification carries no
 * SHA-256, and the object usually lacks the store's {@code sha256} metadata, so the object is read,
 * hashed and stored under its content key, where the coordinator's checks and the workers find it.
 */
public final class StoreModelImporter implements ModelImporter {

    private final ArtifactStore store;
    private final Path workDir;

    /** @param workDir folder of the temporary copies made while hashing */
    public StoreModelImporter(ArtifactStore store, Path workDir) {
        this.store = store;
        this.workDir = workDir;
    }

    /**
     * Returns the files of the event's model version: the imported {@code .onnx} object and no
     * external data.
     *
     * <p>NOTE: the other objects of the model folder are not imported, so a model whose weights lie
     * in external data files is rejected by the coordinator's checks. Only models in one file can be
     * re-quantized from a bucket notification.
     *
     * @return empty when the object no longer exists
     * @throws dev.quantfleet.common.artifacts.ArtifactIntegrityException if the object's entity tag is
     *     not the one the notification named, because the object was replaced since
     * @throws dev.quantfleet.common.artifacts.ArtifactStoreException if reading or storing fails
     */
    @Override
    public Optional<ModelReference> importModel(ModelEvent event) {
        Optional<ArtifactRef> onnx = store.importObject(event.bucket(), event.objectKey(), event.objectETag(),
                workDir);
        return onnx.map(ref -> new ModelReference(event.modelName(), event.modelVersion(), ref, List.of()));
    }
}
