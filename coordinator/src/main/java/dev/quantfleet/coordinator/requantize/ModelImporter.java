package dev.quantfleet.coordinator.requantize;

import dev.quantfleet.common.messages.ModelReference;

import java.util.Optional;

/** Turns the object that a bucket notification names into model files in the artifact store. */
@FunctionalInterface
public interface ModelImporter {

    /**
     * Returns the files of the model version of {@code event}, a bucket notification.
     *
     * @return empty when the object no longer exists
     */
    Optional<ModelReference> importModel(ModelEvent event);
}
