# Builds reference models with python3-onnx (Debian's onnx 1.12) for the reader/writer tests.
# Usage: /usr/bin/python3 make_reference_models.py OUT_DIR
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]

W = numpy_helper.from_array(np.arange(12, dtype=np.float32).reshape(4, 3), 'W')
B = helper.make_tensor('B', TensorProto.INT64, [3], [1, -2, 3])
H = helper.make_tensor('H', TensorProto.FLOAT16, [2], [1.5, -2.0])
D = helper.make_tensor('D', TensorProto.DOUBLE, [2], [0.25, -1e300])
U = helper.make_tensor('U', TensorProto.UINT64, [2], [1, 2**63 + 5])
STR = helper.make_tensor('STR', TensorProto.STRING, [2], [b'hello', b'\xc3\xa9t\xc3\xa9'])
SPARSE = helper.make_sparse_tensor(
    helper.make_tensor('S', TensorProto.FLOAT, [2], [5.0, 6.0]),
    helper.make_tensor('S_idx', TensorProto.INT64, [2], [1, 3]),
    [4])

then_g = helper.make_graph([helper.make_node('Identity', ['y'], ['t_out'], name='then_id')], 'then', [],
                           [helper.make_tensor_value_info('t_out', TensorProto.FLOAT, ['batch', 3])])
else_g = helper.make_graph([helper.make_node('Neg', ['y'], ['e_out'], name='else_neg')], 'else', [],
                           [helper.make_tensor_value_info('e_out', TensorProto.FLOAT, ['batch', 3])])
nodes = [
    helper.make_node('MatMul', ['x', 'W'], ['y'], name='/block/matmul', doc_string='matmul doc'),
    helper.make_node('If', ['cond'], ['z'], name='/block/if', then_branch=then_g, else_branch=else_g),
    helper.make_node('MyRelu', ['y'], ['f'], name='/fn', domain='custom.fn'),
    helper.make_node('Cast', ['y'], ['c'], name='cast', to=TensorProto.FLOAT16),
    helper.make_node('Identity', ['H'], ['h'], name='odd name: ü/§ "quoted"', some_ints=[1, -1, 2**40],
                     some_strings=[b'a', b'b'], some_floats=[0.5, -2.0], some_float=3.25, some_string='s'),
]
fn = helper.make_function('custom.fn', 'MyRelu', ['a'], ['b'], [helper.make_node('Relu', ['a'], ['b'])],
                          [helper.make_opsetid('', 17)])
map_type = onnx.TypeProto()
map_type.map_type.key_type = TensorProto.INT64
map_type.map_type.value_type.CopyFrom(helper.make_tensor_type_proto(TensorProto.DOUBLE, None))
graph = helper.make_graph(
    nodes, 'main',
    [helper.make_tensor_value_info('x', TensorProto.FLOAT, ['batch', 4]),
     helper.make_tensor_value_info('cond', TensorProto.BOOL, [])],
    [helper.make_tensor_value_info('z', TensorProto.FLOAT, ['batch', 3]),
     helper.make_tensor_value_info('f', TensorProto.FLOAT, ['batch', 3]),
     helper.make_tensor_value_info('c', TensorProto.FLOAT16, ['batch', 3]),
     helper.make_tensor_value_info('h', TensorProto.FLOAT16, [2])],
    initializer=[W, B, H, D, U, STR], sparse_initializer=[SPARSE], doc_string='graph doc',
    value_info=[
        helper.make_tensor_value_info('y', TensorProto.FLOAT, ['batch', None]),
        helper.make_value_info('seq', helper.make_sequence_type_proto(helper.make_tensor_type_proto(TensorProto.FLOAT, [2]))),
        helper.make_value_info('mp', map_type),
        helper.make_value_info('opt', helper.make_optional_type_proto(helper.make_tensor_type_proto(TensorProto.INT8, [1]))),
    ])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 17), helper.make_opsetid('custom.fn', 1)],
                          functions=[fn], producer_name='make_reference_models.py', producer_version='1',
                          doc_string='model doc', model_version=7)
model.ir_version = 8
helper.set_model_props(model, {'author': 'aios', 'k': 'v'})
onnx.save_model(model, os.path.join(out, 'features.onnx'))
onnx.save_model(model, os.path.join(out, 'external.onnx'), save_as_external_data=True,
                all_tensors_to_one_file=True, location='external.bin', size_threshold=0)

# A model that ORT can run: y = relu(x @ W + b) with W in external data.
runnable = helper.make_graph(
    [helper.make_node('MatMul', ['x', 'W'], ['m']), helper.make_node('Add', ['m', 'b'], ['a']),
     helper.make_node('Relu', ['a'], ['y'])], 'runnable',
    [helper.make_tensor_value_info('x', TensorProto.FLOAT, [2, 4])],
    [helper.make_tensor_value_info('y', TensorProto.FLOAT, [2, 3])],
    initializer=[W, numpy_helper.from_array(np.array([-5, 0, 5], dtype=np.float32), 'b')])
runnable_model = helper.make_model(runnable, opset_imports=[helper.make_opsetid('', 17)])
runnable_model.ir_version = 8
onnx.save_model(runnable_model, os.path.join(out, 'runnable_external.onnx'), save_as_external_data=True,
                all_tensors_to_one_file=True, location='runnable.bin', size_threshold=0)
print('ok')
