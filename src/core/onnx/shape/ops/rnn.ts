import type { Dim } from '../../model';
import type { OpHandler, OpTable } from '../context';

/** LSTM (4 gates), GRU (3), RNN (1): outputs Y, Y_h (and Y_c for LSTM), by layout. */
function recurrent(gates: number, outputs: number): OpHandler {
  return (ctx) => {
    const xs = ctx.shape(0);
    const ws = ctx.shape(1);
    const layout = ctx.int('layout', 0);
    const direction = ctx.str('direction', 'forward');
    const dirs: Dim = direction === 'bidirectional' ? 2 : 1;
    const hiddenAttr = ctx.int('hidden_size', -1);
    const wRows = ws?.[1];
    const hidden: Dim = hiddenAttr > 0 ? hiddenAttr : typeof wRows === 'number' ? wRows / gates : undefined;
    const seq = xs?.[layout === 0 ? 0 : 1];
    const batch = xs?.[layout === 0 ? 1 : 0];
    const dtype = ctx.dtype(0);
    const y = layout === 0 ? [seq, dirs, batch, hidden] : [batch, seq, dirs, hidden];
    const state = layout === 0 ? [dirs, batch, hidden] : [batch, dirs, hidden];
    return [{ dtype, shape: y }, ...new Array(outputs - 1).fill(0).map(() => ({ dtype, shape: state }))];
  };
}

export const rnnOps: OpTable = {
  LSTM: recurrent(4, 3),
  GRU: recurrent(3, 2),
  RNN: recurrent(1, 2),
};
