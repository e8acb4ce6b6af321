package dev.quantfleet.engine.model;

import dev.quantfleet.engine.onnx.Onnx.AttributeProto;
import dev.quantfleet.engine.onnx.Onnx.FunctionProto;
import dev.quantfleet.engine.onnx.Onnx.GraphProto;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.onnx.Onnx.SparseTensorProto;
import dev.quantfleet.engine.onnx.Onnx.TensorProto;
import dev.quantfleet.engine.onnx.Onnx.TrainingInfoProto;

import java.io.IOException;

/**
 * Applies a function to every {@link TensorProto} of a model and rebuilds only the messages on
 * the path to a changed tensor. The visiting order is fixed, so callers that assign offsets or
 * names get the same result for the same model. In each graph the order is the initializers,
 * the sparse initializers, then the nodes with their attribute tensors and subgraphs depth
 * first. The model-local functions follow the main graph, and the training-info graphs come last.
 */
final class ModelTensors {

    /** Position of a tensor in the model, so that a mapper can treat initializers apart from node attributes. */
    enum Site {
        INITIALIZER,
        SPARSE_INITIALIZER,
        ATTRIBUTE
    }

    /** A tensor transformation; returning the argument itself means "unchanged". */
    @FunctionalInterface
    interface TensorMapper {
        TensorProto map(TensorProto tensor, Site site) throws IOException;
    }

    private ModelTensors() {
    }

    static ModelProto map(ModelProto model, TensorMapper mapper) throws IOException {
        ModelProto.Builder builder = null;
        GraphProto graph = mapGraph(model.getGraph(), mapper);
        if (graph != model.getGraph()) {
            builder = model.toBuilder().setGraph(graph);
        }
        for (int i = 0; i < model.getFunctionsCount(); i++) {
            FunctionProto function = model.getFunctions(i);
            FunctionProto mapped = mapFunction(function, mapper);
            if (mapped != function) {
                builder = builder == null ? model.toBuilder() : builder;
                builder.setFunctions(i, mapped);
            }
        }
        for (int i = 0; i < model.getTrainingInfoCount(); i++) {
            TrainingInfoProto info = model.getTrainingInfo(i);
            TrainingInfoProto mapped = mapTrainingInfo(info, mapper);
            if (mapped != info) {
                builder = builder == null ? model.toBuilder() : builder;
                builder.setTrainingInfo(i, mapped);
            }
        }
        return builder == null ? model : builder.build();
    }

    /** Visits every tensor in the same order as {@link #map} without changing anything. */
    static void forEach(ModelProto model, TensorMapper visitor) throws IOException {
        map(model, (tensor, site) -> {
            visitor.map(tensor, site);
            return tensor;
        });
    }

    static GraphProto mapGraph(GraphProto graph, TensorMapper mapper) throws IOException {
        GraphProto.Builder builder = null;
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto initializer = graph.getInitializer(i);
            TensorProto mapped = mapper.map(initializer, Site.INITIALIZER);
            if (mapped != initializer) {
                builder = builder == null ? graph.toBuilder() : builder;
                builder.setInitializer(i, mapped);
            }
        }
        for (int i = 0; i < graph.getSparseInitializerCount(); i++) {
            SparseTensorProto sparse = graph.getSparseInitializer(i);
            SparseTensorProto mapped = mapSparse(sparse, Site.SPARSE_INITIALIZER, mapper);
            if (mapped != sparse) {
                builder = builder == null ? graph.toBuilder() : builder;
                builder.setSparseInitializer(i, mapped);
            }
        }
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto node = graph.getNode(i);
            NodeProto mapped = mapNode(node, mapper);
            if (mapped != node) {
                builder = builder == null ? graph.toBuilder() : builder;
                builder.setNode(i, mapped);
            }
        }
        return builder == null ? graph : builder.build();
    }

    private static FunctionProto mapFunction(FunctionProto function, TensorMapper mapper) throws IOException {
        FunctionProto.Builder builder = null;
        for (int i = 0; i < function.getNodeCount(); i++) {
            NodeProto node = function.getNode(i);
            NodeProto mapped = mapNode(node, mapper);
            if (mapped != node) {
                builder = builder == null ? function.toBuilder() : builder;
                builder.setNode(i, mapped);
            }
        }
        return builder == null ? function : builder.build();
    }

    private static TrainingInfoProto mapTrainingInfo(TrainingInfoProto info, TensorMapper mapper) throws IOException {
        TrainingInfoProto.Builder builder = null;
        if (info.hasInitialization()) {
            GraphProto mapped = mapGraph(info.getInitialization(), mapper);
            if (mapped != info.getInitialization()) {
                builder = info.toBuilder().setInitialization(mapped);
            }
        }
        if (info.hasAlgorithm()) {
            GraphProto mapped = mapGraph(info.getAlgorithm(), mapper);
            if (mapped != info.getAlgorithm()) {
                builder = builder == null ? info.toBuilder() : builder;
                builder.setAlgorithm(mapped);
            }
        }
        return builder == null ? info : builder.build();
    }

    private static NodeProto mapNode(NodeProto node, TensorMapper mapper) throws IOException {
        NodeProto.Builder builder = null;
        for (int i = 0; i < node.getAttributeCount(); i++) {
            AttributeProto attribute = node.getAttribute(i);
            AttributeProto mapped = mapAttribute(attribute, mapper);
            if (mapped != attribute) {
                builder = builder == null ? node.toBuilder() : builder;
                builder.setAttribute(i, mapped);
            }
        }
        return builder == null ? node : builder.build();
    }

    private static AttributeProto mapAttribute(AttributeProto attribute, TensorMapper mapper) throws IOException {
        AttributeProto.Builder builder = null;
        if (attribute.hasT()) {
            TensorProto mapped = mapper.map(attribute.getT(), Site.ATTRIBUTE);
            if (mapped != attribute.getT()) {
                builder = attribute.toBuilder().setT(mapped);
            }
        }
        for (int i = 0; i < attribute.getTensorsCount(); i++) {
            TensorProto tensor = attribute.getTensors(i);
            TensorProto mapped = mapper.map(tensor, Site.ATTRIBUTE);
            if (mapped != tensor) {
                builder = builder == null ? attribute.toBuilder() : builder;
                builder.setTensors(i, mapped);
            }
        }
        if (attribute.hasSparseTensor()) {
            SparseTensorProto mapped = mapSparse(attribute.getSparseTensor(), Site.ATTRIBUTE, mapper);
            if (mapped != attribute.getSparseTensor()) {
                builder = builder == null ? attribute.toBuilder() : builder;
                builder.setSparseTensor(mapped);
            }
        }
        for (int i = 0; i < attribute.getSparseTensorsCount(); i++) {
            SparseTensorProto sparse = attribute.getSparseTensors(i);
            SparseTensorProto mapped = mapSparse(sparse, Site.ATTRIBUTE, mapper);
            if (mapped != sparse) {
                builder = builder == null ? attribute.toBuilder() : builder;
                builder.setSparseTensors(i, mapped);
            }
        }
        if (attribute.hasG()) {
            GraphProto mapped = mapGraph(attribute.getG(), mapper);
            if (mapped != attribute.getG()) {
                builder = builder == null ? attribute.toBuilder() : builder;
                builder.setG(mapped);
            }
        }
        for (int i = 0; i < attribute.getGraphsCount(); i++) {
            GraphProto graph = attribute.getGraphs(i);
            GraphProto mapped = mapGraph(graph, mapper);
            if (mapped != graph) {
                builder = builder == null ? attribute.toBuilder() : builder;
                builder.setGraphs(i, mapped);
            }
        }
        return builder == null ? attribute : builder.build();
    }

    private static SparseTensorProto mapSparse(SparseTensorProto sparse, Site site, TensorMapper mapper)
            throws IOException {
        SparseTensorProto.Builder builder = null;
        if (sparse.hasValues()) {
            TensorProto mapped = mapper.map(sparse.getValues(), site);
            if (mapped != sparse.getValues()) {
                builder = sparse.toBuilder().setValues(mapped);
            }
        }
        if (sparse.hasIndices()) {
            TensorProto mapped = mapper.map(sparse.getIndices(), site);
            if (mapped != sparse.getIndices()) {
                builder = builder == null ? sparse.toBuilder() : builder;
                builder.setIndices(mapped);
            }
        }
        return builder == null ? sparse : builder.build();
    }
}
