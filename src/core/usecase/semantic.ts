/** The semantic layer of use-case validation: field-wise sections, checks without I/O, checks of referenced files. */
export { useCaseSections, type UseCaseSections } from './useCaseSections';
export { semanticChecksSync } from './semanticSync';
export { semanticChecksAsync } from './semanticFiles';
