import type { Severity } from './types';

/**
 * Every diagnostic code, with its default severity and a one-line explanation for editors
 * and docs. 1xx syntax, 2xx schema, 3xx semantic (30x-33x use cases, 34x-35x SoC targets).
 * Codes are stable: never renumber, only add.
 */
export const diagnosticCodes = {
  AIOS100: { severity: 'error', summary: 'The file cannot be read as text (not UTF-8, or too large to validate).' },
  AIOS101: { severity: 'error', summary: 'YAML syntax error.' },
  AIOS102: { severity: 'error', summary: 'A tab character is used for indentation; YAML allows only spaces.' },
  AIOS103: { severity: 'error', summary: 'The same key appears twice in one mapping.' },
  AIOS104: { severity: 'error', summary: 'The file holds more than one YAML document; use one file per use case or target.' },
  AIOS105: { severity: 'error', summary: 'The file is empty or holds only comments.' },
  AIOS106: { severity: 'warning', summary: 'YAML warning (e.g. an unknown tag or a deprecated construct).' },
  AIOS107: { severity: 'error', summary: 'Aliases expand beyond the allowed limit (a guard against exponential expansion).' },

  AIOS201: { severity: 'error', summary: 'Unknown key; the message suggests the nearest known key.' },
  AIOS202: { severity: 'error', summary: 'The value has the wrong type (e.g. a list where a mapping is expected).' },
  AIOS203: { severity: 'error', summary: 'The value is not one of the allowed values; the message lists them.' },
  AIOS204: { severity: 'error', summary: 'A number is out of range, not a whole number, or zero where a positive quantity is needed.' },
  AIOS205: { severity: 'error', summary: 'A number needs a unit (e.g. 8ms, 64MiB, 1.5W, 20Mbit/s).' },
  AIOS206: { severity: 'error', summary: 'A quantity is malformed, has an unknown unit, or is of the wrong kind (e.g. a power where a time is expected).' },
  AIOS207: { severity: 'error', summary: 'A required key is missing.' },
  AIOS208: { severity: 'error', summary: 'A string does not have the required format (e.g. names: lower-case letters, digits, hyphens).' },
  AIOS209: { severity: 'error', summary: 'apiVersion or kind is not the expected one (aios/v1, UseCase or SocTarget).' },
  AIOS210: { severity: 'error', summary: 'A list has too few or too many entries, or a string is empty or too long.' },
  AIOS211: { severity: 'error', summary: 'A figure\'s source lacks its reference (datasheet, measurement) or note (estimate).' },
  AIOS299: { severity: 'error', summary: 'The value does not match the schema.' },

  AIOS301: { severity: 'error', summary: 'The model file does not exist.' },
  AIOS302: { severity: 'error', summary: 'A referenced path leaves the workspace (directly or through a symbolic link); it is refused and never read.' },
  AIOS303: { severity: 'error', summary: 'The model file is not a readable ONNX model.' },
  AIOS304: { severity: 'error', summary: 'A declared input is not an input of the model.' },
  AIOS305: { severity: 'error', summary: 'A declared output is not an output of the model.' },
  AIOS306: { severity: 'error', summary: 'A declared dtype differs from the model\'s.' },
  AIOS307: { severity: 'error', summary: 'A declared shape differs from the model\'s (rank or a fixed dimension).' },
  AIOS308: { severity: 'error', summary: 'Unknown SoC target id; the message suggests the nearest catalog id.' },
  AIOS309: { severity: 'error', summary: 'The target has no engine of the requested kind.' },
  AIOS310: { severity: 'error', summary: 'No engine of the target supports the quantization precision.' },
  AIOS311: { severity: 'warning', summary: 'The requested engine does not support the quantization precision; another engine would run it.' },
  AIOS312: { severity: 'error', summary: 'Another use case in the workspace has the same name.' },
  AIOS313: { severity: 'error', summary: 'The release version is not a semantic version (MAJOR.MINOR.PATCH).' },
  AIOS314: { severity: 'error', summary: 'The calibration folder does not exist.' },
  AIOS315: { severity: 'error', summary: 'The calibration folder holds no .npy samples.' },
  AIOS316: { severity: 'warning', summary: 'Budgets contradict each other: fps x latency exceeds one second.' },
  AIOS317: { severity: 'error', summary: 'A safety evidence file does not exist.' },
  AIOS318: { severity: 'warning', summary: 'A keepFloat glob is malformed or matches no node of the model.' },
  AIOS319: { severity: 'error', summary: 'Cloud or split placement without an uplink (bandwidth, rtt).' },
  AIOS320: { severity: 'warning', summary: 'An uplink is given but the placement is vehicle; it is ignored.' },
  AIOS321: { severity: 'warning', summary: 'The same target (SoC and engine) is listed twice.' },
  AIOS322: { severity: 'warning', summary: 'ASIL C or D without any safety evidence files.' },
  AIOS323: { severity: 'warning', summary: 'A memory budget exceeds the target\'s total memory, or a power budget its sustained thermal limit.' },
  AIOS324: { severity: 'error', summary: 'A declared input or output name is listed twice.' },
  AIOS325: { severity: 'warning', summary: 'The model has inputs the use case does not declare (only when inputs are declared).' },
  AIOS326: { severity: 'warning', summary: 'A referenced file or folder could not be checked (permission or I/O error).' },
  AIOS327: { severity: 'warning', summary: 'The model file does not end in .onnx.' },
  AIOS328: { severity: 'warning', summary: 'The production channel with a 100 % rollout skips staged rollout.' },
  AIOS329: { severity: 'warning', summary: 'The calibration folder holds fewer samples than calibration.samples asks for.' },
  AIOS330: { severity: 'warning', summary: 'A memory budget is below the size of the model\'s weights at the chosen precision.' },
  AIOS331: { severity: 'warning', summary: 'A referenced path is absolute; write it relative to the use-case file so it works in other checkouts.' },
  AIOS332: { severity: 'error', summary: 'A dataLoop trigger condition does not parse or mixes numbers and conditions (e.g. "gaze.confidence <" or "gaze and 1").' },
  AIOS333: { severity: 'error', summary: 'A dataLoop trigger reads an output, element label or index the model does not have.' },
  AIOS334: { severity: 'error', summary: 'A dataLoop trigger condition gives several yes/no values (an output with several elements): select one element or reduce with max/min/mean.' },
  AIOS335: { severity: 'error', summary: 'The profiled latency on a target exceeds its latency budget (the message names the top layers).' },
  AIOS336: { severity: 'error', summary: 'The profiled peak memory exceeds the memory budget or the target\'s memory.' },
  AIOS337: { severity: 'error', summary: 'The profiled power exceeds the power budget.' },
  AIOS338: { severity: 'error', summary: 'The target cannot sustain the fps budget (latency or thermal limit).' },
  AIOS339: { severity: 'error', summary: 'The quantized model\'s output SQNR is below quantization.minSqnrDb (the message gives the figure and the settings).' },

  AIOS340: { severity: 'error', summary: 'Two engines or memories of a target share an id.' },
  AIOS341: { severity: 'error', summary: 'A link refers to an engine or memory the target does not have.' },
  AIOS342: { severity: 'warning', summary: 'energyPerOp is given for a precision no engine supports.' },
  AIOS343: { severity: 'info', summary: 'This workspace target overrides a built-in target with the same id.' },
  AIOS344: { severity: 'error', summary: 'Another SoC file in the workspace defines the same target id.' },
  AIOS346: { severity: 'error', summary: 'The sustained thermal limit is below the static power.' },
  AIOS347: { severity: 'warning', summary: 'An op type in an engine\'s ops or fusions is not an ONNX operator (it would never match a node).' },
  AIOS348: { severity: 'error', summary: 'The dataLoop.data folder of recorded inputs does not exist or holds no .npy samples.' },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type DiagnosticCode = keyof typeof diagnosticCodes;

export const allDiagnosticCodes = Object.keys(diagnosticCodes) as DiagnosticCode[];
