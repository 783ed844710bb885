/** A GraphBuilder for the main graph plus the model-level parts: opsets, IR version, metadata. */
import type { Model, OperatorSetId, StringEntry } from '../model';
import { GraphBuilder } from './graphBuilder';
import { Rng } from './random';

export interface ModelBuilderOptions {
  /** Graph name. */
  readonly name: string;
  /** Seed of the weight generator. */
  readonly seed: number;
  /** Default-domain opset; 17 with IR 8 is what python3-onnx 1.12 checks. */
  readonly opset?: number;
  readonly irVersion?: number;
  readonly producerName?: string;
  readonly producerVersion?: string;
  readonly docString?: string;
}

export class ModelBuilder extends GraphBuilder {
  private readonly opsets: OperatorSetId[];
  private readonly metadata: StringEntry[] = [];

  constructor(private readonly options: ModelBuilderOptions) {
    super(options.name, new Rng(options.seed));
    this.opsets = [{ domain: '', version: BigInt(options.opset ?? 17) }];
  }

  /** Imports another operator set, e.g. `com.microsoft` version 1. */
  opsetImport(domain: string, version: number): void {
    this.opsets.push({ domain, version: BigInt(version) });
  }

  addMetadata(key: string, value: string): void {
    this.metadata.push({ key, value });
  }

  buildModel(): Model {
    return {
      irVersion: BigInt(this.options.irVersion ?? 8),
      opsetImports: [...this.opsets],
      producerName: this.options.producerName ?? 'aios-workbench',
      ...(this.options.producerVersion === undefined ? {} : { producerVersion: this.options.producerVersion }),
      ...(this.options.docString === undefined ? {} : { docString: this.options.docString }),
      graph: this.build(),
      metadataProps: [...this.metadata],
      functions: [],
    };
  }
}
