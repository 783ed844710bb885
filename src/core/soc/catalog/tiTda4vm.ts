import type { SocTargetInput } from '../schema';
import { acceleratorOps, commonFusions, estimate, fig, published, unverified } from './common';

const tiEdgeAi = 'https://www.ti.com/document-viewer/lit/html/SPRY344/GUID-A605292E-E4B2-4F65-8F64-F1C3D01D09C3';
const mmaArray = 'https://mominux.com/?p=2082';

export const tiTda4vm: SocTargetInput = {
  apiVersion: 'aios/v1',
  kind: 'SocTarget',
  id: 'ti-tda4vm',
  name: 'TI Jacinto 7 TDA4VM',
  vendor: 'Texas Instruments',
  description: 'ADAS and automated-parking processor: C7x DSP with Matrix Multiply Accelerator, 2x Cortex-A72, C66x DSPs, PowerVR GPU.',
  engines: [
    {
      id: 'c7x-mma',
      kind: 'dsp',
      name: 'C7x DSP + Matrix Multiply Accelerator (MMA)',
      precisions: {
        int8: { peak: fig('8TOPS', published(tiEdgeAi, 'TI SPRY344 (TDA4VM): the MMA performs 4K 8-bit multiply-accumulates per cycle, i.e. 8 TOPS at the C7x/MMA clock of 1 GHz')) },
        fp32: { peak: fig('80GFLOPS', unverified('TI quotes the C7x at 80 GFLOPS fp32')) },
      },
      ops: acceleratorOps,
      fusions: commonFusions,
      clock: fig('1GHz', published(mmaArray, 'TDA4VM analysis: the 8 TOPS come from a 64x64 INT8 MAC array on the MMA running at 1 GHz')),
    },
    {
      id: 'gpu',
      kind: 'gpu',
      name: 'PowerVR Rogue 8XE GE8430',
      precisions: {
        fp32: { peak: fig('50GFLOPS', estimate('not published by TI for compute use')) },
        fp16: { peak: fig('100GFLOPS', estimate('2x fp32')) },
      },
      fusions: [],
    },
    {
      id: 'cpu',
      kind: 'cpu',
      name: '2x Arm Cortex-A72',
      precisions: {
        fp32: { peak: fig('32GFLOPS', estimate('2 cores x 2 GHz x 8 fp32 flops/cycle')) },
        int8: { peak: fig('64GOPS', estimate('2x fp32 without dot-product instructions')) },
      },
      fusions: [],
      clock: fig('2GHz', unverified('Cortex-A72 up to 2 GHz in the TDA4VM data sheet')),
    },
  ],
  memories: [
    { id: 'msmc', kind: 'sram', size: fig('8MB', unverified('8 MB MSMC on-chip SRAM in the TDA4VM data sheet')), bandwidth: fig('256GB/s', estimate('C7x L2/MSMC streaming rate order of magnitude')) },
    { id: 'dram', kind: 'dram', size: fig('4GB', estimate('typical EVM / ECU configuration')), bandwidth: fig('17GB/s', estimate('LPDDR4 at 4266 MT/s on a 32-bit interface (the TDA4VM data sheet figures, not checked against a public page here): 4266e6 x 4 bytes')) },
  ],
  power: {
    static: fig('2W', estimate('not published')),
    sustained: fig('20W', estimate('upper end of the 5-20 W range TI quotes for Jacinto 7 ADAS systems')),
    energyPerOp: {
      int8: fig('1pJ', estimate('order of magnitude for the 16 nm MMA')),
      fp32: fig('10pJ', estimate('C7x vector fp32')),
    },
  },
  links: [
    { from: 'c7x-mma', to: 'msmc', bandwidth: fig('256GB/s', estimate('on-chip')) },
    { from: 'c7x-mma', to: 'dram', bandwidth: fig('17GB/s', estimate('limited by the LPDDR4 interface')) },
    { from: 'cpu', to: 'dram', bandwidth: fig('12GB/s', estimate('CPU share of LPDDR4')) },
    { from: 'gpu', to: 'dram', bandwidth: fig('12GB/s', estimate('GPU share of LPDDR4')) },
  ],
};
