"""Writes small models in the shapes real exporters produce, for the shape inference cross-check.

Usage: make_pattern_models.py OUT_DIR. Built with onnx.helper only (no third-party weights):
PyTorch-style dynamic flatten and attention reshapes, tf2onnx-style NHWC transposes and shape
slicing, Paddle-style weights in Constant nodes, QDQ convolutions, Loop/If/Scan with outer-scope
reads, Resize from Constant scales, LSTM/GRU, opset 11 vs 13 Squeeze/Unsqueeze forms.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = sys.argv[1]
F = TensorProto.FLOAT
I64 = TensorProto.INT64


def const(name, array):
    return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(np.asarray(array), name + "_value"))


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def save(name, nodes, inputs, outputs, inits=(), opset=13, extra_opsets=()):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(inits))
    opsets = [helper.make_opsetid("", opset)] + [helper.make_opsetid(d, v) for d, v in extra_opsets]
    model = helper.make_model(graph, opset_imports=opsets, producer_name="aios-pattern")
    model.ir_version = 7
    onnx.save(model, os.path.join(OUT, name + ".onnx"))


rng = np.random.default_rng(7)
w = lambda *s: rng.standard_normal(s).astype(np.float32)

# PyTorch TorchScript: Conv -> flatten via Shape/Gather/Unsqueeze/Concat/Reshape, batch symbolic.
save("torch_flatten", [
    helper.make_node("Conv", ["x", "cw", "cb"], ["c"], pads=[1, 1, 1, 1], strides=[2, 2]),
    helper.make_node("Relu", ["c"], ["r"]),
    helper.make_node("Shape", ["r"], ["s"]),
    const("i0", np.array(0, dtype=np.int64)),
    helper.make_node("Gather", ["s", "i0"], ["n"], axis=0),
    const("ax0", np.array([0], dtype=np.int64)),
    helper.make_node("Unsqueeze", ["n", "ax0"], ["n1"]),
    const("m1", np.array([-1], dtype=np.int64)),
    helper.make_node("Concat", ["n1", "m1"], ["shape"], axis=0),
    helper.make_node("Reshape", ["r", "shape"], ["flat"]),
    helper.make_node("Gemm", ["flat", "fw", "fb"], ["y"], transB=1),
], [helper.make_tensor_value_info("x", F, ["N", 3, 32, 32])], [helper.make_tensor_value_info("y", F, None)],
    [init("cw", w(8, 3, 3, 3)), init("cb", w(8)), init("fw", w(10, 8 * 16 * 16)), init("fb", w(10))])

# PyTorch attention reshapes: [B, S, 64] -> [B, S, 4, 16] -> transpose -> MatMul -> Softmax.
save("torch_attention", [
    helper.make_node("MatMul", ["h", "wq"], ["q"]),
    helper.make_node("Shape", ["h"], ["hs"]),
    const("sl", np.array([0], dtype=np.int64)), const("el", np.array([2], dtype=np.int64)),
    helper.make_node("Slice", ["hs", "sl", "el"], ["bs"]),
    const("heads", np.array([4, 16], dtype=np.int64)),
    helper.make_node("Concat", ["bs", "heads"], ["qshape"], axis=0),
    helper.make_node("Reshape", ["q", "qshape"], ["q4"]),
    helper.make_node("Transpose", ["q4"], ["qt"], perm=[0, 2, 1, 3]),
    helper.make_node("Transpose", ["q4"], ["kt"], perm=[0, 2, 3, 1]),
    helper.make_node("MatMul", ["qt", "kt"], ["scores"]),
    const("scale", np.array(0.25, dtype=np.float32)),
    helper.make_node("Mul", ["scores", "scale"], ["scaled"]),
    helper.make_node("Softmax", ["scaled"], ["p"], axis=-1),
    helper.make_node("MatMul", ["p", "qt"], ["ctx"]),
    helper.make_node("Transpose", ["ctx"], ["ctxt"], perm=[0, 2, 1, 3]),
    const("merged", np.array([0, 0, 64], dtype=np.int64)),
    helper.make_node("Reshape", ["ctxt", "merged"], ["y"]),
], [helper.make_tensor_value_info("h", F, ["B", "S", 64])], [helper.make_tensor_value_info("y", F, None)], [init("wq", w(64, 64))])

# tf2onnx NHWC: Transpose in, Conv, Transpose out, reshape by Shape->Cast->Slice->Concat.
save("tf2onnx_nhwc", [
    helper.make_node("Transpose", ["img"], ["nchw"], perm=[0, 3, 1, 2]),
    helper.make_node("Conv", ["nchw", "k"], ["conv"], auto_pad="SAME_UPPER", strides=[2, 2]),
    helper.make_node("Transpose", ["conv"], ["nhwc"], perm=[0, 2, 3, 1]),
    helper.make_node("Shape", ["nhwc"], ["sh"]),
    helper.make_node("Cast", ["sh"], ["sh32"], to=TensorProto.INT32),
    const("s0", np.array([0], dtype=np.int32)), const("s1", np.array([1], dtype=np.int32)),
    helper.make_node("Slice", ["sh32", "s0", "s1"], ["batch32"]),
    const("rest", np.array([-1, 16], dtype=np.int32)),
    helper.make_node("Concat", ["batch32", "rest"], ["target32"], axis=0),
    helper.make_node("Cast", ["target32"], ["target"], to=I64),
    helper.make_node("Reshape", ["nhwc", "target"], ["y"]),
    helper.make_node("MaxPool", ["nchw"], ["pool"], kernel_shape=[3, 3], strides=[2, 2], pads=[0, 0, 1, 1], ceil_mode=1),
], [helper.make_tensor_value_info("img", F, [1, 33, 47, 3])],
    [helper.make_tensor_value_info("y", F, None), helper.make_tensor_value_info("pool", F, None)], [init("k", w(16, 3, 5, 5))], opset=11)

# Paddle: weights in Constant nodes, BatchNorm, Resize from Constant scales, Squeeze with attribute axes (opset 11).
save("paddle_constants", [
    const("pw", w(4, 2, 3, 3)), const("bn_s", w(4)), const("bn_b", w(4)), const("bn_m", w(4)), const("bn_v", np.abs(w(4))),
    helper.make_node("Conv", ["x", "pw"], ["c"], dilations=[2, 2], pads=[2, 2, 2, 2]),
    helper.make_node("BatchNormalization", ["c", "bn_s", "bn_b", "bn_m", "bn_v"], ["bn"]),
    const("roi", np.array([], dtype=np.float32)), const("scales", np.array([1, 1, 2, 1.5], dtype=np.float32)),
    helper.make_node("Resize", ["bn", "roi", "scales"], ["up"], mode="nearest"),
    helper.make_node("ReduceMean", ["up"], ["m"], axes=[2, 3], keepdims=1),
    helper.make_node("Squeeze", ["m"], ["y"], axes=[2, 3]),
], [helper.make_tensor_value_info("x", F, [2, 2, 10, 12])], [helper.make_tensor_value_info("y", F, None)], opset=11)

# QDQ convolution and a dynamic quantize branch.
save("qdq_conv", [
    helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"]),
    helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["xd"]),
    helper.make_node("DequantizeLinear", ["wq", "ws", "wz"], ["wd"], axis=0),
    helper.make_node("Conv", ["xd", "wd"], ["c"], strides=[2, 2], pads=[1, 1, 1, 1]),
    helper.make_node("QuantizeLinear", ["c", "xs", "xz"], ["cq"]),
    helper.make_node("QLinearConv", ["xq", "xs", "xz", "wq", "ws", "wz", "xs", "xz"], ["qc"], strides=[2, 2], pads=[1, 1, 1, 1]),
    helper.make_node("DynamicQuantizeLinear", ["x"], ["dq", "dqs", "dqz"]),
    helper.make_node("ConvInteger", ["dq", "wq", "dqz"], ["ci"]),
], [helper.make_tensor_value_info("x", F, [1, 3, 16, 16])],
    [helper.make_tensor_value_info(n, t, None) for n, t in [("cq", TensorProto.UINT8), ("qc", TensorProto.UINT8), ("dqs", F), ("ci", TensorProto.INT32)]],
    [init("xs", np.array(0.1, dtype=np.float32)), init("xz", np.array(128, dtype=np.uint8)),
     init("wq", rng.integers(0, 255, (8, 3, 3, 3)).astype(np.uint8)), init("ws", np.full(8, 0.05, dtype=np.float32)), init("wz", np.zeros(8, dtype=np.uint8))])

# Loop with a scan output and an outer-scope read; If with equal branches; Scan over a sequence.
body = helper.make_graph([
    helper.make_node("Identity", ["cond_in"], ["cond_out"]),
    helper.make_node("Add", ["acc", "step"], ["acc_out"]),
    helper.make_node("MatMul", ["acc_out", "proj"], ["emit"]),
], "loop_body", [helper.make_tensor_value_info("i", I64, []), helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
                 helper.make_tensor_value_info("acc", F, [2, 4])],
    [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []), helper.make_tensor_value_info("acc_out", F, None), helper.make_tensor_value_info("emit", F, None)])
then_g = helper.make_graph([helper.make_node("Relu", ["step"], ["t"])], "then", [], [helper.make_tensor_value_info("t", F, None)])
else_g = helper.make_graph([helper.make_node("Neg", ["step"], ["e"])], "else", [], [helper.make_tensor_value_info("e", F, None)])
scan_body = helper.make_graph([
    helper.make_node("Add", ["state", "row"], ["state_out"]),
    helper.make_node("Mul", ["row", "row"], ["sq"]),
], "scan_body", [helper.make_tensor_value_info("state", F, [4]), helper.make_tensor_value_info("row", F, [4])],
    [helper.make_tensor_value_info("state_out", F, None), helper.make_tensor_value_info("sq", F, None)])
save("control_flow", [
    helper.make_node("Loop", ["trips", "", "init"], ["final", "emitted"], body=body),
    helper.make_node("If", ["flag"], ["branch"], then_branch=then_g, else_branch=else_g),
    helper.make_node("Scan", ["s0", "seq"], ["s_final", "squares"], body=scan_body, num_scan_inputs=1),
], [helper.make_tensor_value_info("init", F, [2, 4]), helper.make_tensor_value_info("step", F, [2, 4]), helper.make_tensor_value_info("flag", TensorProto.BOOL, []),
    helper.make_tensor_value_info("s0", F, [4]), helper.make_tensor_value_info("seq", F, [7, 4])],
    [helper.make_tensor_value_info(n, F, None) for n in ["final", "emitted", "branch", "s_final", "squares"]],
    [init("trips", np.array(5, dtype=np.int64)), init("proj", w(4, 3))])

# LSTM and GRU, bidirectional, then Squeeze with axes input (opset 13).
save("recurrent", [
    helper.make_node("LSTM", ["x", "lw", "lr", "lb"], ["ly", "lh", "lc"], hidden_size=8, direction="bidirectional"),
    helper.make_node("GRU", ["x", "gw", "gr"], ["gy", "gh"], hidden_size=6),
    const("ax1", np.array([1], dtype=np.int64)),
    helper.make_node("Squeeze", ["gy", "ax1"], ["gys"]),
    helper.make_node("Transpose", ["ly"], ["lyt"], perm=[2, 0, 1, 3]),
    const("flat", np.array([0, 0, -1], dtype=np.int64)),
    helper.make_node("Reshape", ["lyt", "flat"], ["merged"]),
], [helper.make_tensor_value_info("x", F, ["T", 3, 5])],
    [helper.make_tensor_value_info(n, F, None) for n in ["lh", "lc", "gys", "gh", "merged"]],
    [init("lw", w(2, 32, 5)), init("lr", w(2, 32, 8)), init("lb", w(2, 64)), init("gw", w(1, 18, 5)), init("gr", w(1, 18, 6))])

# Expand/ConstantOfShape/Range/Where/Tile chains with a symbolic sequence length.
save("shape_chains", [
    helper.make_node("Shape", ["ids"], ["ids_shape"]),
    const("one", np.array([1], dtype=np.int64)), const("two", np.array([2], dtype=np.int64)),
    helper.make_node("Slice", ["ids_shape", "one", "two"], ["seq"]),
    const("zero_s", np.array(0, dtype=np.int64)), const("one_s", np.array(1, dtype=np.int64)),
    helper.make_node("Squeeze", ["seq", "zero_s_axes"], ["seq_s"]),
    helper.make_node("Range", ["zero_s", "seq_s", "one_s"], ["pos"]),
    helper.make_node("Unsqueeze", ["pos", "zero_s_axes"], ["pos2"]),
    helper.make_node("Expand", ["pos2", "ids_shape"], ["pos_ids"]),
    helper.make_node("ConstantOfShape", ["ids_shape"], ["ones"], value=numpy_helper.from_array(np.array([1], dtype=np.int64))),
    helper.make_node("Equal", ["ids", "ones"], ["is_one"]),
    helper.make_node("Where", ["is_one", "pos_ids", "ids"], ["mixed"]),
    const("reps", np.array([1, 2], dtype=np.int64)),
    helper.make_node("Tile", ["mixed", "reps"], ["tiled"]),
    helper.make_node("Gather", ["emb", "tiled"], ["vec"]),
    helper.make_node("ReduceSum", ["vec", "one"], ["summed"], keepdims=0),
], [helper.make_tensor_value_info("ids", I64, [2, 9])],
    [helper.make_tensor_value_info(n, t, None) for n, t in [("pos_ids", I64), ("tiled", I64), ("summed", F)]],
    [init("zero_s_axes", np.array([0], dtype=np.int64)), init("emb", w(50, 12))])
