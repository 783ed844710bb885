"""Reference shapes from python3-onnx (Debian, onnx 1.12) for the TypeScript shape inference tests.

Reads a JSON list of model paths on stdin; for each model, strips value_info and the shapes
declared on graph outputs (so that only inference speaks), runs onnx.shape_inference with data
propagation, and prints one JSON object: {path: {"error": str} | {"inferred": {...}, "declared": {...}}}
where each map is tensor name -> {"dtype": int, "shape": [int | str | null] | null}.
"""
import json
import sys

import onnx
from onnx import shape_inference


def tensor_type(type_proto):
    if not type_proto.HasField("tensor_type"):
        return None
    t = type_proto.tensor_type
    if not t.HasField("shape"):
        return {"dtype": t.elem_type, "shape": None}
    dims = []
    for d in t.shape.dim:
        if d.HasField("dim_value"):
            dims.append(d.dim_value)
        elif d.HasField("dim_param") and d.dim_param:
            dims.append(d.dim_param)
        else:
            dims.append(None)
    return {"dtype": t.elem_type, "shape": dims}


def subgraphs(graph):
    for node in graph.node:
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                yield attr.g
            elif attr.type == onnx.AttributeProto.GRAPHS:
                yield from attr.graphs


def all_graphs(graph):
    yield graph
    for g in subgraphs(graph):
        yield from all_graphs(g)


def strip(graph):
    for g in all_graphs(graph):
        del g.value_info[:]
        for o in g.output:
            if o.type.HasField("tensor_type"):
                o.type.tensor_type.ClearField("shape")


def collect(graph, with_value_info):
    out = {}
    for g in all_graphs(graph):
        infos = list(g.output) + (list(g.value_info) if with_value_info else [])
        for v in infos:
            t = tensor_type(v.type)
            if t is not None:
                out[v.name] = t
    return out


def main():
    paths = json.load(sys.stdin)
    result = {}
    for path in paths:
        try:
            model = onnx.load(path, load_external_data=False)
            declared = collect(model.graph, False)
            strip(model.graph)
            inferred = shape_inference.infer_shapes(model, strict_mode=False, data_prop=True)
            result[path] = {"inferred": collect(inferred.graph, True), "declared": declared}
        except Exception as e:  # noqa: BLE001 - any failure is reported per model
            result[path] = {"error": f"{type(e).__name__}: {e}"[:300]}
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
