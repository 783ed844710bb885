import { mix, normalizeColor, themeKind } from '../shared/theme';

/** Colours of the graph canvas, read from VS Code's `--vscode-*` variables (or the export's defaults). */
export interface Palette {
  readonly kind: 'light' | 'dark' | 'highContrast';
  readonly background: string;
  readonly foreground: string;
  readonly muted: string;
  readonly nodeFill: string;
  readonly nodeBorder: string;
  readonly groupFill: string;
  readonly groupBorder: string;
  readonly edge: string;
  readonly selection: string;
  readonly searchHit: string;
  readonly added: string;
  readonly removed: string;
  readonly changed: string;
  readonly ramp: readonly [string, string, string];
  readonly category: Readonly<Record<OpCategory, string>>;
}

export type OpCategory = 'conv' | 'matmul' | 'activation' | 'norm' | 'pool' | 'shape' | 'quant' | 'io' | 'control' | 'other';

const categoryOf = new Map<string, OpCategory>();
for (const op of ['Conv', 'ConvTranspose', 'ConvInteger', 'QLinearConv', 'DeformConv']) categoryOf.set(op, 'conv');
for (const op of ['MatMul', 'Gemm', 'MatMulInteger', 'QLinearMatMul', 'MatMulNBits', 'Einsum', 'Attention', 'MultiHeadAttention']) categoryOf.set(op, 'matmul');
for (const op of ['Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Gelu', 'Softmax', 'LogSoftmax', 'HardSwish', 'HardSigmoid', 'Elu', 'Selu', 'PRelu', 'Clip', 'Mish', 'Erf', 'FastGelu', 'QuickGelu']) categoryOf.set(op, 'activation');
for (const op of ['BatchNormalization', 'LayerNormalization', 'InstanceNormalization', 'GroupNormalization', 'SimplifiedLayerNormalization', 'SkipLayerNormalization', 'RMSNormalization', 'LRN']) categoryOf.set(op, 'norm');
for (const op of ['MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'Resize', 'Upsample', 'ReduceMean', 'ReduceMax', 'ReduceSum']) categoryOf.set(op, 'pool');
for (const op of ['Reshape', 'Transpose', 'Shape', 'Gather', 'Concat', 'Split', 'Slice', 'Squeeze', 'Unsqueeze', 'Flatten', 'Expand', 'Constant', 'ConstantOfShape', 'Cast', 'Identity', 'Range', 'Tile', 'Pad', 'GatherElements', 'ScatterND', 'Where']) categoryOf.set(op, 'shape');
for (const op of ['QuantizeLinear', 'DequantizeLinear', 'DynamicQuantizeLinear']) categoryOf.set(op, 'quant');
for (const op of ['If', 'Loop', 'Scan']) categoryOf.set(op, 'control');
categoryOf.set('Input', 'io');
categoryOf.set('Output', 'io');

export function opCategory(op: string): OpCategory {
  return categoryOf.get(op) ?? 'other';
}

export function readPalette(ctx: CanvasRenderingContext2D): Palette {
  const style = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => normalizeColor(ctx, style.getPropertyValue(`--vscode-${name}`), fallback);
  const kind = themeKind(v('editor-background', '#ffffff'));
  const background = v('editor-background', kind === 'dark' ? '#1e1e1e' : '#ffffff');
  const foreground = v('editor-foreground', kind === 'dark' ? '#d4d4d4' : '#1f1f1f');
  const contrast = style.getPropertyValue('--vscode-contrastBorder').trim();
  const blue = v('charts-blue', '#3794ff');
  const red = v('charts-red', '#f14c4c');
  const green = v('charts-green', '#89d185');
  const yellow = v('charts-yellow', '#cca700');
  const orange = v('charts-orange', '#d18616');
  const purple = v('charts-purple', '#b180d7');
  const nodeFill = kind === 'highContrast' ? background : v('editorWidget-background', kind === 'dark' ? '#252526' : '#f3f3f3');
  const nodeBorder = contrast ? normalizeColor(ctx, contrast, foreground) : v('editorWidget-border', mix(background, foreground, 0.35));
  return {
    kind,
    background,
    foreground,
    muted: v('descriptionForeground', mix(background, foreground, 0.6)),
    nodeFill,
    nodeBorder,
    groupFill: mix(background, foreground, kind === 'highContrast' ? 0 : 0.04),
    groupBorder: contrast ? nodeBorder : mix(background, foreground, 0.25),
    edge: kind === 'highContrast' ? foreground : mix(background, foreground, 0.45),
    selection: v('focusBorder', '#007fd4'),
    searchHit: v('editor-findMatchHighlightBackground', yellow),
    added: green,
    removed: red,
    changed: yellow,
    ramp: [blue, yellow, red],
    category: {
      conv: blue,
      matmul: purple,
      activation: green,
      norm: orange,
      pool: mix(blue, green, 0.5),
      shape: mix(background, foreground, 0.35),
      quant: yellow,
      io: foreground,
      control: red,
      other: mix(background, foreground, 0.5),
    },
  };
}
