import { InputError } from '../inputError';

/**
 * The one error the ONNX reader throws for bad input: it names what is wrong, the byte
 * offset in the file and the field path (e.g. `graph.node[12].attribute[3]`).
 */
export class OnnxFormatError extends InputError {
  override readonly name: string = 'OnnxFormatError';

  constructor(
    /** What is wrong, without the location. */
    readonly problem: string,
    /** Byte offset in the file or buffer where the problem was found; undefined when not tied to a byte. */
    readonly offset: number | undefined,
    /** Field path from the ModelProto root, '' at the top level. */
    readonly fieldPath: string,
    /** The file being read, when known. */
    readonly file?: string,
  ) {
    super(formatMessage(problem, offset, fieldPath, file));
  }
}

/** External data that cannot be used: outside the model folder, missing, or shorter than declared. */
export class ExternalDataError extends OnnxFormatError {
  override readonly name: string = 'ExternalDataError';
}

function formatMessage(problem: string, offset: number | undefined, fieldPath: string, file: string | undefined): string {
  const where: string[] = [];
  if (file !== undefined) where.push(file);
  if (offset !== undefined) where.push(`byte ${offset}`);
  if (fieldPath !== '') where.push(`in ${fieldPath}`);
  return where.length > 0 ? `${problem} (${where.join(', ')})` : problem;
}
